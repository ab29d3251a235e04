-- CreateEnum
CREATE TYPE "TeamsConversationKind" AS ENUM ('personal', 'groupChat', 'channel');

-- CreateTable
CREATE TABLE "teams_conversation" (
    "conversation_id" TEXT NOT NULL,
    "kind" "TeamsConversationKind" NOT NULL,
    "tenant_id" TEXT,
    "service_url" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teams_conversation_pkey" PRIMARY KEY ("conversation_id")
);
