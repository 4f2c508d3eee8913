-- AlterTable
ALTER TABLE "content_viewers" ADD COLUMN     "last_viewed_day" DATE;
