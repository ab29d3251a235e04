-- CreateTable
CREATE TABLE "bot_secret" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bot_secret_pkey" PRIMARY KEY ("name")
);
