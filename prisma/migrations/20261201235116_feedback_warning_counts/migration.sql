-- CreateIndex
CREATE INDEX "feedback_logged_at_stage_id_category_id_sentiment_idx" ON "feedback"("logged_at", "stage_id", "category_id", "sentiment");
