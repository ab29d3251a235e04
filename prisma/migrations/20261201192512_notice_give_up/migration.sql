-- CreateEnum
CREATE TYPE "NoticeGiveUp" AS ENUM ('refused', 'tooManyAttempts', 'platformRemoved');

-- AlterTable
ALTER TABLE "notice" ADD COLUMN     "given_up_at" TIMESTAMPTZ(3),
ADD COLUMN     "given_up_because" "NoticeGiveUp",
ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE INDEX "notice_platform_target_to_user_seq_idx" ON "notice"("platform", "target", "to_user", "seq");

-- Notices given up before these columns existed were all refusals. When is unknown, so the day they were written stands in.
UPDATE "notice" SET "given_up_at" = "created_at", "given_up_because" = 'refused' WHERE "status" = 'undeliverable';
