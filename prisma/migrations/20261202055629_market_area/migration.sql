-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "market_area" TEXT;
