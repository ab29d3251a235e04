// Who may do what. Roles live in the database per platform user; everyone else in the
// workspace is staff. Bootstrap ids from config are always CCO so a new install has one.

export type Platform = 'slack' | 'teams';
export const roleNames = ['cco', 'leader', 'staff'] as const;
export type RoleName = (typeof roleNames)[number];

export interface Person {
  platform: Platform;
  userId: string;
}

export interface RoleStore {
  storedRole(person: Person): Promise<RoleName | null>;
  setRole(person: Person, role: RoleName, grantedBy: string): Promise<void>;
  hasAnyCco(platform: Platform, exceptUserId?: string): Promise<boolean>;
}

const actions = {
  subscribeChannel: { roles: ['cco', 'leader'], words: 'subscribe or unsubscribe a channel to the Monday digest' },
  postDigestNow: { roles: ['cco', 'leader'], words: 'post the digest to a channel' },
  manageRoles: { roles: ['cco'], words: 'change who is a CCO, leader or staff' },
  manageLanguage: { roles: ['cco'], words: 'change the company-wide journey stages and categories' },
  resolveIssue: { roles: ['cco', 'leader'], words: 'mark an issue resolved' },
  arrangeIssues: { roles: ['cco', 'leader'], words: 'merge or split issues' },
  correctAnyFeedback: { roles: ['cco', 'leader'], words: 'correct feedback someone else logged' },
  subscribeHope: { roles: ['cco', 'leader'], words: 'choose where fixes are announced' },
  runCampaigns: { roles: ['cco'], words: 'start, change or reassign lost-customer call campaigns' },
  seeCampaigns: { roles: ['cco', 'leader'], words: 'see how a call campaign is going' },
  seeUndeliveredNotices: { roles: ['cco'], words: 'see which messages the bot could not deliver' },
} as const satisfies Record<string, { roles: readonly RoleName[]; words: string }>;

export type Action = keyof typeof actions;

export type Permission = { allowed: true; role: RoleName } | { allowed: false; role: RoleName; message: string };

const roleWords: Record<RoleName, string> = { cco: 'the CCO', leader: 'a leader', staff: 'staff' };

/** How a command is written in an answer: a slash command in Slack, words to the bot in Teams. */
export function commandFor(platform: Platform, words: string): string {
  return platform === 'slack' ? `\`/${words}\`` : `“${words}”`;
}

/** Roles are per platform, so answers about them name the platform's place. */
const placeWords: Record<Platform, string> = { slack: 'workspace', teams: 'organisation in Teams' };

export class People {
  constructor(
    private readonly store: RoleStore,
    private readonly bootstrapCcoIds: Record<Platform, readonly string[]>,
  ) {}

  async roleOf(person: Person): Promise<RoleName> {
    if (this.bootstrapCcoIds[person.platform].includes(person.userId)) return 'cco';
    return (await this.store.storedRole(person)) ?? 'staff';
  }

  async may(person: Person, action: Action): Promise<Permission> {
    const role = await this.roleOf(person);
    const rule = actions[action];
    if ((rule.roles as readonly RoleName[]).includes(role)) return { allowed: true, role };
    const who = rule.roles.map((name) => roleWords[name]).join(' or ');
    return {
      allowed: false,
      role,
      message: `Only ${who} can ${rule.words}. You are ${roleWords[role]} here; ask your CCO if that should change.`,
    };
  }

  async grant(by: Person, target: Person, role: RoleName): Promise<{ ok: true; roleWords: string } | { ok: false; message: string }> {
    const permission = await this.may(by, 'manageRoles');
    if (!permission.allowed) return { ok: false, message: permission.message };
    if (by.userId === target.userId && role !== 'cco' && !(await this.hasAnotherCco(by))) {
      return { ok: false, message: 'You are the only CCO: make someone else CCO first, so the bot always has one.' };
    }
    await this.store.setRole(target, role, by.userId);
    return { ok: true, roleWords: roleWords[role] };
  }

  /** With no CCO anywhere yet, the first person to claim becomes CCO: the person installing the bot. */
  async claimFirstCco(person: Person): Promise<{ ok: boolean; message: string }> {
    const place = placeWords[person.platform];
    if (this.bootstrapCcoIds[person.platform].length > 0 || (await this.store.hasAnyCco(person.platform))) {
      return { ok: false, message: `This ${place} already has a CCO. Ask them to give you a role with ${commandFor(person.platform, 'cco role')}.` };
    }
    await this.store.setRole(person, 'cco', person.userId);
    return { ok: true, message: `You are now the CCO for this ${place}. Give leaders their role with ${commandFor(person.platform, 'cco role @someone leader')}.` };
  }

  private async hasAnotherCco(person: Person): Promise<boolean> {
    if (this.bootstrapCcoIds[person.platform].some((id) => id !== person.userId)) return true;
    return this.store.hasAnyCco(person.platform, person.userId);
  }
}
