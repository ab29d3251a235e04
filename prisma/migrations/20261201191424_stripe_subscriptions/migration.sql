-- CreateTable
CREATE TABLE "stripe_subscription" (
    "id" TEXT NOT NULL,
    "stripe_customer_id" TEXT NOT NULL,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "observed_rank" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "active_from" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "start_value" DECIMAL(14,2) NOT NULL,
    "current_value" DECIMAL(14,2) NOT NULL,
    "cancellation_reason" TEXT,
    "feedback" TEXT,
    "comment" TEXT,

    CONSTRAINT "stripe_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stripe_subscription_stripe_customer_id_idx" ON "stripe_subscription"("stripe_customer_id");
