-- Digests of months, quarters and years beside the weekly one.
CREATE TYPE "PeriodKind" AS ENUM ('week', 'month', 'quarter', 'year');

ALTER TYPE "ChannelPurpose" ADD VALUE 'monthlyDigest';
ALTER TYPE "ChannelPurpose" ADD VALUE 'quarterlyDigest';
ALTER TYPE "ChannelPurpose" ADD VALUE 'yearlyDigest';

-- Renamed rather than dropped, so weeks already delivered stay delivered (and are not posted again).
ALTER TABLE "digest_delivery" DROP CONSTRAINT "digest_delivery_pkey";
ALTER TABLE "digest_delivery" RENAME COLUMN "week_start" TO "period_start";
ALTER TABLE "digest_delivery" ADD COLUMN "period_kind" "PeriodKind" NOT NULL DEFAULT 'week';
ALTER TABLE "digest_delivery" ADD CONSTRAINT "digest_delivery_pkey" PRIMARY KEY ("period_start", "period_kind", "platform", "channel_id");
