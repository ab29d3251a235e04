// The organisation's one language for feedback: journey stages and categories, agreed
// once by the CCO and used by every source, so volumes from the call centre, the web and
// the stores roll up together. Terms are matched by name but stored by id, so renaming a
// stage keeps its history.
import { z } from 'zod';
import type { Vocabulary, VocabularyTerm } from './classification.js';
import type { People, Person } from './people.js';
import { feedbackSources, sourceWords } from './storedFeedback.js';

export type TermKind = 'stage' | 'category';

export interface LanguageStore {
  /** The terms people can choose today, in their agreed order. */
  vocabulary(): Promise<Vocabulary>;
  /** Also retired terms, for showing old feedback under the name it has now. */
  termById(kind: TermKind, id: string): Promise<(VocabularyTerm & { retired: boolean }) | null>;
  /** Makes `terms` the active list in this order; names match case-insensitively, others are retired, not deleted. */
  replaceTerms(kind: TermKind, terms: Array<{ name: string; keywords?: string[] }>): Promise<void>;
  /** Only terms in use can be renamed; a retired term's name is still taken (its history keeps it). */
  renameTerm(kind: TermKind, from: string, to: string): Promise<'renamed' | 'unknown' | 'taken' | 'retired'>;
  setKeywords(kind: TermKind, name: string, keywords: string[]): Promise<'updated' | 'unknown'>;
  isEmpty(): Promise<boolean>;
  /** Each survey and the journey stage where customers receive it. */
  surveys(): Promise<Array<{ name: string; stageName: string; stageRetired: boolean }>>;
  /** Maps a survey (matched case-insensitively) to an active stage; 'unknownStage' if there is none by that name. */
  mapSurvey(name: string, stageName: string): Promise<'mapped' | 'unknownStage'>;
  removeSurvey(name: string): Promise<'removed' | 'unknown'>;
  /** Makes `surveys` the whole list; their stages must be active. */
  replaceSurveys(surveys: Array<{ name: string; stage: string }>): Promise<void>;
}

const termName = z.string().trim().min(1, 'a name cannot be empty').max(60, 'names are at most 60 characters');
const keywordList = z.array(z.string().trim().toLowerCase().min(1).max(60)).max(100);

const surveyName = z
  .string()
  .trim()
  .min(1, 'a survey name cannot be empty')
  .max(200, 'survey names are at most 200 characters');

export const languageFile = z
  .object({
    stages: z
      .array(z.object({ name: termName, keywords: keywordList.default([]) }))
      .min(2)
      .max(12),
    categories: z
      .array(z.object({ name: termName, keywords: keywordList.default([]) }))
      .min(1)
      .max(40),
    /** Each survey and the stage where customers receive it; when present, the whole list. */
    surveys: z
      .array(z.object({ name: surveyName, stage: termName }))
      .max(500)
      .optional(),
  })
  .superRefine((file, context) => {
    file.surveys?.forEach((survey, index) => {
      if (!file.stages.some((stage) => stage.name.toLowerCase() === survey.stage.toLowerCase())) {
        context.addIssue({
          code: 'custom',
          path: ['surveys', index, 'stage'],
          message: `"${survey.stage}" is not one of the stages in this file`,
        });
      }
    });
  });
export type LanguageFile = z.infer<typeof languageFile>;

/** A starting point the CCO replaces with the organisation's own words (`/cco stages`, `/cco categories`). */
export const defaultLanguage: LanguageFile = {
  stages: [
    { name: 'Discover', keywords: ['advert', 'ad', 'heard about', 'search', 'website first', 'brochure'] },
    { name: 'Decide', keywords: ['quote', 'pricing page', 'trial', 'compare', 'demo', 'sales rep', 'contract terms'] },
    {
      name: 'Start',
      keywords: ['onboarding', 'setup', 'set up', 'install', 'activation', 'welcome', 'first delivery', 'sign up'],
    },
    {
      name: 'Use',
      keywords: [
        'using',
        'feature',
        'broken',
        'bug',
        'slow',
        'delivery',
        'parcel',
        'quality',
        'login',
        'log in',
        'invoice',
        'bill',
        'charged',
        'payment',
      ],
    },
    {
      name: 'Get help',
      keywords: ['support', 'call centre', 'hold', 'agent', 'ticket', 'complaint', 'help desk', 'chat'],
    },
    {
      name: 'Renew or leave',
      keywords: ['renewal', 'renew', 'cancel', 'leaving', 'switch', 'competitor', 'contract end', 'close my account'],
    },
  ],
  categories: [
    { name: 'Billing', keywords: ['invoice', 'bill', 'charge', 'charged', 'refund', 'payment', 'overcharged'] },
    { name: 'Price', keywords: ['price', 'expensive', 'cost', 'cheaper', 'discount'] },
    { name: 'Delivery', keywords: ['delivery', 'late', 'courier', 'parcel', 'shipping', 'arrived', 'missing'] },
    { name: 'Product quality', keywords: ['broken', 'faulty', 'quality', 'defect', 'bug', 'crash', 'damaged'] },
    { name: 'Staff and service', keywords: ['rude', 'unhelpful', 'agent', 'staff', 'hold', 'waited', 'call back'] },
    { name: 'Website and app', keywords: ['website', 'app', 'login', 'password', 'page', 'checkout', 'site'] },
    { name: 'Communication', keywords: ['email', 'letter', 'told', 'informed', 'notification', 'confusing'] },
  ],
};

/** Parses "Discover, Decide, Start" or one name a line. */
export function parseTermNames(text: string): { ok: true; names: string[] } | { ok: false; message: string } {
  const names = text
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter(Boolean);
  const problems = names.map((name) => termName.safeParse(name)).filter((result) => !result.success);
  if (problems.length) return { ok: false, message: 'Each name must be 1 to 60 characters.' };
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name.toLowerCase())) return { ok: false, message: `"${name}" is listed twice.` };
    seen.add(name.toLowerCase());
  }
  return { ok: true, names };
}

const limits: Record<TermKind, { min: number; max: number; words: string }> = {
  stage: { min: 2, max: 12, words: 'journey stages' },
  category: { min: 1, max: 40, words: 'categories' },
};

type Answer = { ok: true; message: string } | { ok: false; message: string };

/** What `cco sources` and `cco surveys …` ask, on either platform. */
export type SourcesOrSurveysRequest =
  | { kind: 'sources' }
  | { kind: 'surveys'; action: 'list' }
  | { kind: 'surveys'; action: 'map'; name: string; stage: string }
  | { kind: 'surveys'; action: 'remove'; name: string };

/** What the CCO can change about the language; everyone can read it. */
export class Language {
  constructor(
    private readonly store: LanguageStore,
    private readonly people: People,
  ) {}

  vocabulary(): Promise<Vocabulary> {
    return this.store.vocabulary();
  }

  async replace(by: Person, kind: TermKind, text: string): Promise<Answer> {
    const permission = await this.people.may(by, 'manageLanguage');
    if (!permission.allowed) return { ok: false, message: permission.message };
    const parsed = parseTermNames(text);
    if (!parsed.ok) return parsed;
    const { min, max, words } = limits[kind];
    if (parsed.names.length < min || parsed.names.length > max)
      return { ok: false, message: `Give between ${min} and ${max} ${words}, separated by commas.` };
    // No keywords given: the store keeps each existing term's own, retired ones included; new names start with none.
    await this.store.replaceTerms(
      kind,
      parsed.names.map((name) => ({ name })),
    );
    return {
      ok: true,
      message: `The ${words} are now: ${parsed.names.join(', ')}. Names that left the list keep their history and are no longer offered.`,
    };
  }

  async rename(by: Person, kind: TermKind, from: string, to: string): Promise<Answer> {
    const permission = await this.people.may(by, 'manageLanguage');
    if (!permission.allowed) return { ok: false, message: permission.message };
    const name = termName.safeParse(to);
    if (!name.success) return { ok: false, message: 'The new name must be 1 to 60 characters.' };
    const result = await this.store.renameTerm(kind, from.trim(), name.data);
    if (result === 'unknown')
      return { ok: false, message: `There is no ${kind} called "${from.trim()}". ${await this.listWords(kind)}` };
    if (result === 'taken') return { ok: false, message: `There is already a ${kind} called "${name.data}".` };
    if (result === 'retired')
      return {
        ok: false,
        message: `"${name.data}" is a ${kind} that was taken out of the list; it keeps its history. Add it back to the list instead, or choose another name.`,
      };
    return {
      ok: true,
      message: `Renamed "${from.trim()}" to "${name.data}". Everything filed under it keeps its history.`,
    };
  }

  async setKeywords(by: Person, kind: TermKind, name: string, keywordsText: string): Promise<Answer> {
    const permission = await this.people.may(by, 'manageLanguage');
    if (!permission.allowed) return { ok: false, message: permission.message };
    const keywords = keywordList.safeParse(
      keywordsText
        .split(',')
        .map((word) => word.trim())
        .filter(Boolean),
    );
    if (!keywords.success)
      return { ok: false, message: 'Keywords are separated by commas, each at most 60 characters, at most 100.' };
    const result = await this.store.setKeywords(kind, name.trim(), keywords.data);
    if (result === 'unknown')
      return { ok: false, message: `There is no ${kind} called "${name.trim()}". ${await this.listWords(kind)}` };
    return {
      ok: true,
      message: `Feedback mentioning ${keywords.data.join(', ') || '(no keywords)'} will be filed under "${name.trim()}" when no model is available.`,
    };
  }

  async listWords(kind: TermKind): Promise<string> {
    const vocabulary = await this.store.vocabulary();
    const terms = kind === 'stage' ? vocabulary.stages : vocabulary.categories;
    return `The ${limits[kind].words} are: ${terms.map((term) => term.name).join(', ')}.`;
  }

  /** Answers `cco sources` and `cco surveys …`; listing is for anyone, changes for the CCO. */
  async answer(by: Person, request: SourcesOrSurveysRequest): Promise<Answer> {
    if (request.kind === 'sources') return { ok: true, message: this.listSources() };
    if (request.action === 'list') return { ok: true, message: await this.listSurveys() };
    return request.action === 'map'
      ? this.mapSurvey(by, request.name, request.stage)
      : this.removeSurvey(by, request.name);
  }

  /** The sources feedback can come from: a fixed list in this version, shared by chat, the API and CSV imports. */
  listSources(): string {
    return `Feedback sources: ${feedbackSources.map((source) => sourceWords[source]).join(', ')}. The API and CSV imports take these names (or codes such as support_desk); the list is fixed in this version.`;
  }

  async listSurveys(): Promise<string> {
    const surveys = await this.store.surveys();
    if (!surveys.length)
      return 'No survey is mapped to a journey stage yet. Map one with `cco surveys "Onboarding NPS" Start`: its answers are then filed under that stage.';
    return `Surveys and the stage their answers are filed under: ${surveys.map((survey) => `${survey.name} → ${survey.stageName}${survey.stageRetired ? ' (a retired stage: the classifier decides until you map it again)' : ''}`).join('; ')}.`;
  }

  /** The survey's stage wins over the classifier for every answer stored from now on. */
  async mapSurvey(by: Person, name: string, stageName: string): Promise<Answer> {
    const permission = await this.people.may(by, 'manageLanguage');
    if (!permission.allowed) return { ok: false, message: permission.message };
    const survey = surveyName.safeParse(name);
    if (!survey.success) return { ok: false, message: 'A survey name is 1 to 200 characters.' };
    const result = await this.store.mapSurvey(survey.data, stageName.trim());
    if (result === 'unknownStage')
      return {
        ok: false,
        message: `There is no stage called "${stageName.trim()}". Nothing was changed. ${await this.listWords('stage')}`,
      };
    return {
      ok: true,
      message: `Answers to the survey "${survey.data}" are now filed under the stage "${stageName.trim()}" (answers already stored keep their stage).`,
    };
  }

  async removeSurvey(by: Person, name: string): Promise<Answer> {
    const permission = await this.people.may(by, 'manageLanguage');
    if (!permission.allowed) return { ok: false, message: permission.message };
    const result = await this.store.removeSurvey(name.trim());
    if (result === 'unknown')
      return { ok: false, message: `No survey called "${name.trim()}" is mapped. Nothing was changed.` };
    return {
      ok: true,
      message: `The survey "${name.trim()}" is no longer mapped; the classifier chooses the stage of its new answers.`,
    };
  }

  /** A new install starts from the defaults; a configured file replaces the lists at every start. */
  async load(file: LanguageFile | undefined): Promise<void> {
    if (file) {
      await this.store.replaceTerms('stage', file.stages);
      await this.store.replaceTerms('category', file.categories);
      if (file.surveys) await this.store.replaceSurveys(file.surveys);
    } else if (await this.store.isEmpty()) {
      await this.store.replaceTerms('stage', defaultLanguage.stages);
      await this.store.replaceTerms('category', defaultLanguage.categories);
    }
  }
}
