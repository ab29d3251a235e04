-- A Stripe customer is won once. Two bot processes hearing of two first subscriptions at the same
-- moment each saw only its own and both recorded a win. This index makes the second one fail, and the
-- connector then tells the customer's life again with the first win in view. Prisma's schema cannot
-- say partial indexes, and its diff leaves hand-made ones in place.

-- A second win recorded before this index is what the connector would now call growth.
UPDATE "customer_event" AS later SET "kind" = 'expanded'
 WHERE later."kind" = 'won' AND starts_with(later."external_id", 'stripe:')
   AND EXISTS (SELECT 1 FROM "customer_event" AS first
                WHERE first."customer_id" = later."customer_id" AND first."kind" = 'won'
                  AND starts_with(first."external_id", 'stripe:')
                  AND (first."received_at", first."id") < (later."received_at", later."id"));

CREATE UNIQUE INDEX "customer_event_stripe_one_win" ON "customer_event" ("customer_id")
 WHERE "kind" = 'won' AND starts_with("external_id", 'stripe:');
