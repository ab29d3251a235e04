-- AlterTable
ALTER TABLE "warning" ADD COLUMN     "acknowledged_by_name" TEXT;
