-- CreateTable
CREATE TABLE "profile_unlocks" (
    "profile_id" TEXT NOT NULL,
    "device_id" TEXT NOT NULL,
    "unlocked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profile_unlocks_pkey" PRIMARY KEY ("profile_id","device_id")
);

-- CreateIndex
CREATE INDEX "profile_unlocks_device_id_idx" ON "profile_unlocks"("device_id");

-- AddForeignKey
ALTER TABLE "profile_unlocks" ADD CONSTRAINT "profile_unlocks_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profile_unlocks" ADD CONSTRAINT "profile_unlocks_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
