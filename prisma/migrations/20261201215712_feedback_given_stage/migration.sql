-- AlterTable
ALTER TABLE "feedback" ADD COLUMN     "category_given" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stage_given" BOOLEAN NOT NULL DEFAULT false;

-- Feedback not sorted yet holds only what came with it: for sorted rows that is unknown, so the classifier keeps them.
UPDATE "feedback" SET "stage_given" = "stage_id" IS NOT NULL, "category_given" = "category_id" IS NOT NULL WHERE "classified_by" IS NULL;
