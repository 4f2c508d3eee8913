-- CreateTable
CREATE TABLE "payment_customers" (
    "user_id" TEXT NOT NULL,
    "provider" "payment_provider" NOT NULL,
    "provider_customer_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_customers_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_customers_provider_customer_id_key" ON "payment_customers"("provider_customer_id");

-- AddForeignKey
ALTER TABLE "payment_customers" ADD CONSTRAINT "payment_customers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (the engine drops the column first): keep every customer id already stored on users, then
-- drop the column. Only the Stripe provider ever set it.
INSERT INTO "payment_customers" ("user_id", "provider", "provider_customer_id")
SELECT "id", 'STRIPE', "stripe_customer_id" FROM "users" WHERE "stripe_customer_id" IS NOT NULL;

-- DropIndex
DROP INDEX "users_stripe_customer_id_key";

-- AlterTable
ALTER TABLE "users" DROP COLUMN "stripe_customer_id";
