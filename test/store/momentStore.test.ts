// Moments that matter keep their history as stages do: a new list retires (never deletes)
// the moments it leaves out, keeps the readings of those it keeps, and refuses, changing
// nothing, a list that names a stage the company does not use. The language file is checked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MomentDefinition } from '../../src/domain/moments.js';
import { readMomentsFile } from '../../src/languageFile.js';
import { momentStore } from '../../src/store/momentStore.js';
import { servicesOnFreshDatabase, type Workplace } from '../support/services.js';

let place: Workplace;
let folder: string;
beforeAll(async () => {
  place = await servicesOnFreshDatabase({});
  folder = await mkdtemp(path.join(tmpdir(), 'moments-'));
});
afterAll(async () => {
  await place?.test.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const owner = { kind: 'channel' as const, platform: 'slack' as const, id: 'COPS', name: null };
const moment = (name: string, stage: string, standard = 90): MomentDefinition => ({
  name,
  stage,
  metric: `${name} rate`,
  unit: '%',
  better: 'higher',
  standard,
  owner,
});

describe('momentStore', () => {
  it('retires moments left out of a new list, keeps the readings of those kept, and brings a retired one back with its history', async () => {
    const store = momentStore(place.db);
    expect(await store.replaceMoments([moment('Proposal sent', 'Decide'), moment('Order delivered', 'Start')])).toEqual(
      { ok: true },
    );
    const delivered = (await store.moments()).find((entry) => entry.name === 'Order delivered')!;
    expect(
      await store.insertReadings([
        { externalId: 'x1', momentId: delivered.id, value: 93, measuredAt: new Date('2026-11-20T10:00:00Z') },
      ]),
    ).toBe(1);

    expect(await store.replaceMoments([moment('order delivered', 'Use', 97)])).toEqual({ ok: true });
    const [only] = await store.moments();
    expect(only).toMatchObject({ id: delivered.id, name: 'order delivered', stageName: 'Use', standard: 97 });
    expect((await store.momentsByName()).get('proposal sent')).toMatchObject({ retired: true });
    expect(await place.db.metricReading.count({ where: { momentId: delivered.id } })).toBe(1);

    await store.replaceMoments([moment('Proposal sent', 'Decide'), moment('order delivered', 'Use', 97)]);
    expect((await store.moments()).map((entry) => entry.name)).toEqual(['Proposal sent', 'order delivered']);
  });

  it('changes nothing when a moment names a stage not in use', async () => {
    const store = momentStore(place.db);
    const before = await store.moments();
    expect(await store.replaceMoments([moment('Parcel tracked', 'Shipping')])).toEqual({
      ok: false,
      unknownStages: ['Shipping'],
    });
    expect(await store.moments()).toEqual(before);
  });
});

describe('the language file moments list', () => {
  it('reads owners and directions, and names what is wrong with a bad entry', async () => {
    const good = path.join(folder, 'good.json');
    await writeFile(
      good,
      JSON.stringify({
        moments: [
          {
            name: 'Call answered',
            stage: 'Get help',
            metric: 'Seconds to answer',
            unit: 'seconds',
            better: 'lower',
            standard: 60,
            owner: { platform: 'teams', person: 'aad-1', name: 'Lee' },
          },
        ],
      }),
    );
    expect(await readMomentsFile(good)).toEqual([
      {
        name: 'Call answered',
        stage: 'Get help',
        metric: 'Seconds to answer',
        unit: 'seconds',
        better: 'lower',
        standard: 60,
        owner: { kind: 'person', platform: 'teams', id: 'aad-1', name: 'Lee' },
      },
    ]);

    const bad = path.join(folder, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        moments: [
          {
            name: 'Call answered',
            stage: 'Get help',
            metric: 'Seconds',
            unit: 's',
            better: 'faster',
            standard: '60',
            owner: { platform: 'slack', person: '<!channel>' },
          },
        ],
      }),
    );
    await expect(readMomentsFile(bad)).rejects.toThrow(
      /moments\.0\.better: must be "higher" or "lower"[\s\S]*moments\.0\.standard: must be a number[\s\S]*moments\.0\.owner\.person: must be a Slack or Teams id/,
    );

    const none = path.join(folder, 'none.json');
    await writeFile(none, JSON.stringify({ stages: [] }));
    expect(await readMomentsFile(none)).toBeUndefined();
  });
});
