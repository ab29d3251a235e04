// What the outbox carries for a lost-customer call campaign. Its own module so the outbox
// (notices.ts) and the campaigns that queue these (campaigns.ts) need not import each other.

/**
 * Customers reached so far who gave this reason for leaving, and what they were worth.
 * A type, not an interface: notices are stored as JSON, which takes only types TypeScript can index.
 */
export type CampaignReasonCount = { reason: string; customers: number; value: number };

export type NoticeKindsOfCampaigns =
  | {
      kind: 'campaignCalls';
      campaignId: string;
      campaignNumber: number;
      name: string;
      dueOn: string;
      guidance: string;
      callerId: string;
      part: number;
      calls: number;
    }
  | { kind: 'campaignReminder'; campaignId: string; campaignNumber: number; name: string; dueOn: string; open: number }
  | {
      kind: 'campaignSummary';
      campaignNumber: number;
      name: string;
      reached: number;
      unreachable: number;
      open: number;
      reasons: CampaignReasonCount[];
    };
