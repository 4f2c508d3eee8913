-- CreateTable
CREATE TABLE "viewing_facts" (
    "session_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "profile_id" TEXT NOT NULL,
    "content_id" TEXT NOT NULL,
    "episode_id" TEXT,
    "day" DATE NOT NULL,
    "watched_seconds" INTEGER NOT NULL DEFAULT 0,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "started_at" TIMESTAMP(3) NOT NULL,
    "ended_at" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "viewing_facts_pkey" PRIMARY KEY ("session_id")
);

-- CreateIndex
CREATE INDEX "viewing_facts_profile_id_content_id_idx" ON "viewing_facts"("profile_id", "content_id");

-- CreateIndex
CREATE INDEX "viewing_facts_content_id_idx" ON "viewing_facts"("content_id");

-- AddForeignKey
ALTER TABLE "viewing_facts" ADD CONSTRAINT "viewing_facts_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "viewing_facts" ADD CONSTRAINT "viewing_facts_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "contents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
