-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "FeedbackSource" ADD VALUE 'support_desk';
ALTER TYPE "FeedbackSource" ADD VALUE 'warranty';
ALTER TYPE "FeedbackSource" ADD VALUE 'returns';

-- AlterTable
ALTER TABLE "feedback" ADD COLUMN     "external_id" TEXT,
ADD COLUMN     "sorting_claimed_until" TIMESTAMPTZ(3),
ALTER COLUMN "platform" DROP NOT NULL;

-- CreateTable
CREATE TABLE "survey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "stage_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "survey_name_key" ON "survey"("name");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_external_id_key" ON "feedback"("external_id");

-- AddForeignKey
ALTER TABLE "survey" ADD CONSTRAINT "survey_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "journey_stage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
