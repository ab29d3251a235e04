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
  /**
   * Makes `person` CCO only if no CCO is stored on any platform, atomically: of many
   * simultaneous claims exactly one wins; the others learn who holds the role.
   */
  claimFirstCco(person: Person): Promise<{ claimed: true } | { claimed: false; holder: Person }>;
}

/** What `cco claim` did; adapters word it, naming the holder as their platform can. */
export type CcoClaim = { kind: 'claimed'; person: Person } | { kind: 'alreadyHeld'; holder: Person; claimant: Person };

const actions = {
  subscribeChannel: { roles: ['cco', 'leader'], words: 'subscribe or unsubscribe a channel to the Monday digest' },
  postDigestNow: { roles: ['cco', 'leader'], words: 'post the digest to a channel' },
  shareDigestLink: { roles: ['cco', 'leader'], words: 'get a private link to the digest page' },
  stateOfTheCustomer: {
    roles: ['cco', 'leader'],
    words: 'post the State of the Customer and get private links to the full report',
  },
  manageRoles: { roles: ['cco'], words: 'change who is a CCO, leader or staff' },
  manageLanguage: { roles: ['cco'], words: 'change the company-wide journey stages and categories' },
  resolveIssue: { roles: ['cco', 'leader'], words: 'mark an issue resolved' },
  arrangeIssues: { roles: ['cco', 'leader'], words: 'merge or split issues' },
  correctAnyFeedback: { roles: ['cco', 'leader'], words: 'correct feedback someone else logged' },
  subscribeHope: { roles: ['cco', 'leader'], words: 'choose where fixes are announced' },
  runCampaigns: { roles: ['cco'], words: 'start, change or reassign lost-customer call campaigns' },
  seeCampaigns: { roles: ['cco', 'leader'], words: 'see how a call campaign is going' },
  seeUndeliveredNotices: { roles: ['cco'], words: 'see which messages the bot could not deliver' },
  subscribeWarnings: { roles: ['cco', 'leader'], words: 'choose where early warnings are posted' },
  acknowledgeWarning: { roles: ['cco', 'leader'], words: 'acknowledge an early warning' },
  managePriorities: { roles: ['cco', 'leader'], words: 'add a priority or mark one done' },
  setPriorityRule: { roles: ['cco'], words: 'set how many weeks below its baseline a priority needs to be done' },
  postCustomerRoom: { roles: ['cco', 'leader'], words: 'post the customer room agenda' },
} as const satisfies Record<string, { roles: readonly RoleName[]; words: string }>;

export type Action = keyof typeof actions;

export type Permission = { allowed: true; role: RoleName } | { allowed: false; role: RoleName; message: string };

const roleWords: Record<RoleName, string> = { cco: 'the CCO', leader: 'a leader', staff: 'staff' };

/** How a command is written in an answer: a slash command in Slack, words to the bot in Teams. */
export function commandFor(platform: Platform, words: string): string {
  return platform === 'slack' ? `\`/${words}\`` : `“${words}”`;
}

/** Roles are per platform, so answers about them name the platform's place. */
export const placeWords: Record<Platform, string> = { slack: 'workspace', teams: 'organisation in Teams' };
export const platformNames: Record<Platform, string> = { slack: 'Slack', teams: 'Microsoft Teams' };

/**
 * The answer to `cco claim`. The holder is named by the adapter (a Slack mention, a Teams
 * display name), or not at all when they are on another platform.
 */
export function claimWords(claim: CcoClaim): {
  ok: boolean;
  title: string;
  message: (holderName: string | null) => string;
} {
  if (claim.kind === 'claimed') {
    const platform = claim.person.platform;
    return {
      ok: true,
      title: 'You are the CCO',
      message: () =>
        `You are now the CCO for this ${placeWords[platform]}. Give leaders their role with ${commandFor(platform, 'cco role @someone leader')}.`,
    };
  }
  const platform = claim.claimant.platform;
  const elsewhere = claim.holder.platform !== platform;
  return {
    ok: false,
    title: 'Nothing was changed',
    message: (holderName) =>
      elsewhere
        ? `Your organisation already has a CCO, in ${platformNames[claim.holder.platform]}, so nothing was changed. Roles are per platform: a CCO here in ${platformNames[platform]} gives them, or whoever runs the bot names one in its settings.`
        : `${holderName ?? 'Someone'} is already the CCO, so nothing was changed. Ask them to give you a role with ${commandFor(platform, 'cco role')}.`,
  };
}

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

  async grant(
    by: Person,
    target: Person,
    role: RoleName,
  ): Promise<{ ok: true; roleWords: string } | { ok: false; message: string }> {
    const permission = await this.may(by, 'manageRoles');
    if (!permission.allowed) return { ok: false, message: permission.message };
    // A CCO's rights are on their own platform: a Teams CCO cannot make anyone CCO in Slack, nor the other way round.
    if (by.platform !== target.platform)
      return {
        ok: false,
        message: `Roles are given per platform: only a CCO in ${platformNames[target.platform]} can give a role there. No role was changed.`,
      };
    if (by.userId === target.userId && role !== 'cco' && !(await this.hasAnotherCco(by))) {
      return { ok: false, message: 'You are the only CCO: make someone else CCO first, so the bot always has one.' };
    }
    await this.store.setRole(target, role, by.userId);
    return { ok: true, roleWords: roleWords[role] };
  }

  /**
   * With no CCO anywhere yet (on any platform, configured or stored), the first person to
   * claim becomes CCO: the person installing the bot. Afterwards nobody can grab the role.
   */
  async claimFirstCco(person: Person): Promise<CcoClaim> {
    const bootstrap = (['slack', 'teams'] as const).flatMap((platform) =>
      this.bootstrapCcoIds[platform].map((userId) => ({ platform, userId })),
    );
    // The claimant's own platform first, so the answer names someone they can reach.
    const holder = bootstrap.find((cco) => cco.platform === person.platform) ?? bootstrap[0];
    if (holder) return { kind: 'alreadyHeld', holder, claimant: person };
    const claim = await this.store.claimFirstCco(person);
    return claim.claimed
      ? { kind: 'claimed', person }
      : { kind: 'alreadyHeld', holder: claim.holder, claimant: person };
  }

  private async hasAnotherCco(person: Person): Promise<boolean> {
    if (this.bootstrapCcoIds[person.platform].some((id) => id !== person.userId)) return true;
    return this.store.hasAnyCco(person.platform, person.userId);
  }
}
