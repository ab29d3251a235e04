// Roles (who is the CCO, who leads) and the company language (journey stages, categories,
// their keywords, surveys). Both check who asks and word their own answers.
import { People, type Person, type RoleName } from '../domain/people.js';
import { Language, type LanguageFile } from '../domain/language.js';
import type { Db } from '../store/database.js';
import { roleStore } from '../store/peopleStore.js';
import { languageStore } from '../store/languageStore.js';

/** Roles as adapters see them: permission checks stay inside the capabilities that need them. */
export interface PeopleService {
  roleOf(person: Person): ReturnType<People['roleOf']>;
  grant(by: Person, target: Person, role: RoleName): ReturnType<People['grant']>;
  claimFirstCco(person: Person): ReturnType<People['claimFirstCco']>;
}

export type LanguageService = Pick<
  Language,
  | 'vocabulary'
  | 'listWords'
  | 'replace'
  | 'rename'
  | 'setKeywords'
  | 'answer'
  | 'listSources'
  | 'listSurveys'
  | 'mapSurvey'
  | 'removeSurvey'
>;

export function createPeopleAndLanguage(db: Db, bootstrapCcoIds: ConstructorParameters<typeof People>[1]) {
  const people = new People(roleStore(db), bootstrapCcoIds);
  const vocabularies = languageStore(db);
  const language = new Language(vocabularies, people);
  const peopleService: PeopleService = {
    roleOf: (person) => people.roleOf(person),
    grant: (by, target, role) => people.grant(by, target, role),
    claimFirstCco: (person) => people.claimFirstCco(person),
  };
  return {
    /** For the other services, which check permissions themselves. */
    internal: { people, language, vocabularies },
    services: {
      people: peopleService,
      language: language as LanguageService,
      loadLanguage: (file?: LanguageFile) => language.load(file),
    },
  };
}
