#include "portti/firmware/outbox.hpp"

#include <gtest/gtest.h>

#include "firmware/test_pki.hpp"
#include "portti/firmware/delivery_error.hpp"

using namespace portti::firmware;

TEST(Outbox, EntriesSurviveReopenInOrderWithStates) {
  portti::test::TempDir dir;
  std::string db = dir / "outbox.sqlite";
  {
    Outbox box(db);
    auto b = box.enqueue("tx-b", R"({"n":1})");
    EXPECT_LT(b, box.enqueue("tx-a", R"({"n":2})", "CASE-17"));
    box.enqueue("tx-c", R"({"n":3})");
  }
  Outbox box(db);
  EXPECT_EQ(box.depth(), 3);
  auto first = box.nextPending();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->transactionId, "tx-b");  // enqueue order, not id order
  EXPECT_EQ(first->body, R"({"n":1})");
  box.markDelivered(first->seq);
  auto second = box.nextPending();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->transactionId, "tx-a");
  EXPECT_EQ(second->caseRef, "CASE-17");
  box.recordAttempt(second->seq);
  box.markDead(second->seq, "HTTP 422: signature does not verify");
  EXPECT_EQ(box.depth(), 1);
  EXPECT_EQ(box.nextPending()->transactionId, "tx-c");
  auto dead = box.deadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].transactionId, "tx-a");
  EXPECT_EQ(dead[0].reason, "HTTP 422: signature does not verify");
  EXPECT_EQ(dead[0].attempts, 1);
  EXPECT_EQ(box.find("tx-b")->state, OutboxState::Delivered);
  EXPECT_FALSE(box.find("tx-z"));
}

TEST(Outbox, DuplicateTransactionIdIsRefusedAndTheFirstKept) {
  portti::test::TempDir dir;
  Outbox box(dir / "outbox.sqlite");
  box.enqueue("tx-1", "first");
  EXPECT_THROW(box.enqueue("tx-1", "second"), DeliveryError);
  EXPECT_EQ(box.find("tx-1")->body, "first");
  EXPECT_EQ(box.depth(), 1);
}

TEST(Outbox, DiskFullFailsClearlyAndStoresNothingHalf) {
  portti::test::TempDir dir;
  std::string db = dir / "outbox.sqlite";
  Outbox box(db, OutboxOptions{.maxPages = 8});
  std::string body(600, 'x');
  int stored = 0;
  std::string error;
  for (int i = 0; i < 200; ++i) {
    try {
      box.enqueue("tx-" + std::to_string(i), body + std::to_string(i));
      ++stored;
    } catch (const DeliveryError& e) {
      error = e.what();
      break;
    }
  }
  ASSERT_FALSE(error.empty()) << "the capped outbox never filled";
  EXPECT_NE(error.find("outbox enqueue"), std::string::npos) << error;
  EXPECT_NE(error.find("not stored"), std::string::npos) << error;
  EXPECT_EQ(box.depth(), stored);
  EXPECT_FALSE(box.find("tx-" + std::to_string(stored)));
  // The outbox still works once space is freed (here: reopened without the cap).
  Outbox reopened(db);
  EXPECT_EQ(reopened.depth(), stored);
  EXPECT_EQ(reopened.find("tx-" + std::to_string(stored - 1))->body,
            body + std::to_string(stored - 1));
  reopened.enqueue("tx-after", "ok");
  EXPECT_EQ(reopened.depth(), stored + 1);
}

TEST(Outbox, UnopenablePathIsAClearError) {
  try {
    Outbox box("/nonexistent-dir/outbox.sqlite");
    FAIL();
  } catch (const DeliveryError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/outbox.sqlite"), std::string::npos);
  }
}
