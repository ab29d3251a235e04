-- AlterEnum
ALTER TYPE "CustomerEventKind" ADD VALUE 'active';

-- DropIndex
DROP INDEX "customer_event_customer_id_idx";

-- AlterTable
ALTER TABLE "customer_event" ADD COLUMN     "projected_value" DECIMAL(14,2);

-- CreateTable
CREATE TABLE "lapse_window" (
    "segment_key" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lapse_window_pkey" PRIMARY KEY ("segment_key")
);

-- CreateTable
CREATE TABLE "value_tier" (
    "name" TEXT NOT NULL,
    "min_value" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "value_tier_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "customer_event_life_idx" ON "customer_event"("customer_id", "occurred_at", "kind");
