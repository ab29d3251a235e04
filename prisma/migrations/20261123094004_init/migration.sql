-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CustomerEventKind" AS ENUM ('won', 'lost', 'expanded', 'contracted', 'referral', 'reactivated');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'teams');

-- CreateEnum
CREATE TYPE "RoleName" AS ENUM ('cco', 'leader', 'staff');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('claimed', 'posted');

-- CreateTable
CREATE TABLE "customer" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_event" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "segment" TEXT NOT NULL,
    "kind" "CustomerEventKind" NOT NULL,
    "value" DECIMAL(14,2) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "verbatim" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role" (
    "platform" "Platform" NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "RoleName" NOT NULL,
    "granted_by" TEXT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_pkey" PRIMARY KEY ("platform","user_id")
);

-- CreateTable
CREATE TABLE "digest_subscription" (
    "platform" "Platform" NOT NULL,
    "channel_id" TEXT NOT NULL,
    "subscribed_by" TEXT NOT NULL,
    "subscribed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_subscription_pkey" PRIMARY KEY ("platform","channel_id")
);

-- CreateTable
CREATE TABLE "digest_delivery" (
    "week_start" DATE NOT NULL,
    "platform" "Platform" NOT NULL,
    "channel_id" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,
    "message_id" TEXT,
    "posted_at" TIMESTAMPTZ(3),

    CONSTRAINT "digest_delivery_pkey" PRIMARY KEY ("week_start","platform","channel_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customer_external_id_key" ON "customer"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_event_external_id_key" ON "customer_event"("external_id");

-- CreateIndex
CREATE INDEX "customer_event_week_idx" ON "customer_event"("occurred_at", "kind", "segment", "customer_id", "value");

-- CreateIndex
CREATE INDEX "customer_event_customer_id_idx" ON "customer_event"("customer_id");

-- AddForeignKey
ALTER TABLE "customer_event" ADD CONSTRAINT "customer_event_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
