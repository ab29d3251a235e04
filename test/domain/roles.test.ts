// Who holds the CCO role, on real PostgreSQL through the same services the adapters call:
// `cco claim` makes one CCO for the whole organisation however many claim at once, and a
// role on one platform gives no rights on the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CcoClaim, Person } from '../../src/domain/people.js';
import { claimWords, People } from '../../src/domain/people.js';
import type { Services } from '../../src/services.js';
import type { Db } from '../../src/store/database.js';
import { roleStore } from '../../src/store/peopleStore.js';
import { servicesOnFreshDatabase, type Workplace } from '../support/services.js';

const slackPerson = (index: number): Person => ({ platform: 'slack', userId: `UCLAIM${index}` });
const teamsNewcomer: Person = { platform: 'teams', userId: 'a0000000-0000-4000-8000-0000000000ee' };

describe('ten people claiming the CCO role at the same moment', () => {
  let place: Workplace;
  let claims: CcoClaim[];
  beforeAll(async () => {
    place = await servicesOnFreshDatabase({});
    claims = await Promise.all(
      Array.from({ length: 10 }, (_, index) => place.services.people.claimFirstCco(slackPerson(index))),
    );
  });
  afterAll(() => place?.test.drop());

  it('makes exactly one of them CCO', async () => {
    const won = claims.filter((claim) => claim.kind === 'claimed');
    expect(won).toHaveLength(1);
    const ccos = await place.db.role.findMany({ where: { role: 'cco' } });
    expect(ccos).toHaveLength(1);
    expect(won[0]).toMatchObject({ person: { platform: ccos[0]!.platform, userId: ccos[0]!.userId } });
  });

  it('tells the other nine who the CCO is', () => {
    const winner = claims.find((claim) => claim.kind === 'claimed')!;
    const refused = claims.filter((claim) => claim.kind === 'alreadyHeld');
    expect(refused).toHaveLength(9);
    for (const claim of refused) expect(claim.holder).toEqual(winner.kind === 'claimed' ? winner.person : undefined);
    expect(claimWords(refused[0]!).message('<@UCLAIM0>')).toBe(
      '<@UCLAIM0> is already the CCO, so nothing was changed. Ask them to give you a role with `/cco role`.',
    );
  });
});

describe('a Teams newcomer in an organisation whose CCO claimed the role in Slack', () => {
  let place: Workplace;
  let services: Services;
  let db: Db;
  const slackCco = slackPerson(1);
  beforeAll(async () => {
    place = await servicesOnFreshDatabase({});
    ({ services, db } = place);
    expect((await services.people.claimFirstCco(slackCco)).kind).toBe('claimed');
  });
  afterAll(() => place?.test.drop());

  it('cannot claim the CCO role, and is told the CCO is in Slack', async () => {
    const claim = await services.people.claimFirstCco(teamsNewcomer);
    expect(claim).toEqual({ kind: 'alreadyHeld', holder: slackCco, claimant: teamsNewcomer });
    expect(claimWords(claim).message(null)).toContain(
      'Your organisation already has a CCO, in Slack, so nothing was changed.',
    );
    expect(await services.people.roleOf(teamsNewcomer)).toBe('staff');
  });

  it('cannot change the company language', async () => {
    const before = await services.language.listWords('stage');
    const answer = await services.language.replace(teamsNewcomer, 'stage', 'Mine, Yours');
    expect(answer).toMatchObject({
      ok: false,
      message: expect.stringContaining('Only the CCO can change the company-wide journey stages'),
    });
    expect(await services.language.rename(teamsNewcomer, 'stage', 'Use', 'Abuse')).toMatchObject({ ok: false });
    expect(await services.language.setKeywords(teamsNewcomer, 'category', 'Billing', 'nothing')).toMatchObject({
      ok: false,
    });
    expect(await services.language.listWords('stage')).toBe(before);
  });

  it('cannot give anyone a role, in Teams or in Slack', async () => {
    expect(await services.people.grant(teamsNewcomer, teamsNewcomer, 'cco')).toMatchObject({ ok: false });
    expect(await services.people.grant(teamsNewcomer, { platform: 'slack', userId: 'UOTHER' }, 'leader')).toMatchObject(
      { ok: false },
    );
    expect(await db.role.count()).toBe(1);
  });

  it('cannot use the Slack CCO’s rights even with the same user id', async () => {
    // Ids are only unique within a platform: a Teams sender naming itself like the Slack CCO is still a Teams newcomer.
    const lookalike: Person = { platform: 'teams', userId: slackCco.userId };
    // Permission checks belong to the capabilities; the rules themselves are read from the people they are about.
    const people = new People(roleStore(db), { slack: [], teams: [] });
    expect(await people.may(lookalike, 'manageRoles')).toMatchObject({ allowed: false });
    expect(await people.may(lookalike, 'resolveIssue')).toMatchObject({ allowed: false });
    expect(await people.may(lookalike, 'runCampaigns')).toMatchObject({ allowed: false });
    expect(await services.mergeIssues(lookalike, 1, 2)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Only the CCO or a leader'),
    });
  });

  it('lets the Slack CCO grant roles in Slack, but not in Teams', async () => {
    expect(await services.people.grant(slackCco, { platform: 'slack', userId: 'ULEAD' }, 'leader')).toEqual({
      ok: true,
      roleWords: 'a leader',
    });
    expect(await services.people.roleOf({ platform: 'slack', userId: 'ULEAD' })).toBe('leader');
    const refused = await services.people.grant(slackCco, teamsNewcomer, 'cco');
    expect(refused).toEqual({
      ok: false,
      message:
        'Roles are given per platform: only a CCO in Microsoft Teams can give a role there. No role was changed.',
    });
    expect(await services.people.roleOf(teamsNewcomer)).toBe('staff');
  });
});

describe('a CCO named in the settings of the other platform', () => {
  let place: Workplace;
  beforeAll(async () => {
    place = await servicesOnFreshDatabase({ BOOTSTRAP_CCO_SLACK_IDS: 'UBOOT' });
  });
  afterAll(() => place?.test.drop());

  it('counts: nobody in Teams can claim the role, and nothing is stored', async () => {
    expect(await place.services.people.claimFirstCco(teamsNewcomer)).toEqual({
      kind: 'alreadyHeld',
      holder: { platform: 'slack', userId: 'UBOOT' },
      claimant: teamsNewcomer,
    });
    expect(await place.db.role.count()).toBe(0);
  });
});
