-- AlterTable
ALTER TABLE "feedback" ADD COLUMN     "platform_message_id" TEXT;

-- CreateIndex
CREATE INDEX "feedback_platform_reporter_id_logged_at_idx" ON "feedback"("platform", "reporter_id", "logged_at");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_platform_platform_message_id_key" ON "feedback"("platform", "platform_message_id");
