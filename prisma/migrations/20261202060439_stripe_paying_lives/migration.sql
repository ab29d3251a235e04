-- AlterTable
ALTER TABLE "stripe_subscription" ADD COLUMN     "earlier_lives" JSONB NOT NULL DEFAULT '[]';
