// The outbox on a real, tiny filesystem (a 512 KiB tmpfs): a full disk refuses the result with
// a clear error, keeps everything stored before, and works again once space is freed.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include "firmware/test_pki.hpp"
#include "portti/firmware/delivery_error.hpp"
#include "portti/firmware/outbox.hpp"

using namespace portti::firmware;

namespace {

struct TinyFilesystem {
  portti::test::TempDir dir;
  bool mounted = false;
  TinyFilesystem() {
    mounted = mount("tmpfs", dir.path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=512k") == 0;
  }
  ~TinyFilesystem() {
    if (mounted) umount2(dir.path.c_str(), MNT_DETACH);
  }
};

}  // namespace

TEST(OutboxDiskFull, RealFullFilesystemRefusesCleanlyAndRecovers) {
  TinyFilesystem fs;
  if (!fs.mounted)
    GTEST_SKIP() << "cannot mount a tmpfs here (needs root); the max_page_count test covers the logic";
  std::string filler = fs.dir / "filler";
  std::ofstream(filler) << std::string(128 * 1024, 'f');
  std::string db = fs.dir / "outbox.sqlite";
  int stored = 0;
  std::string error;
  {
    Outbox box(db);
    for (int i = 0; i < 2000 && error.empty(); ++i) {
      try {
        box.enqueue("tx-" + std::to_string(i), std::string(700, 'r') + std::to_string(i));
        ++stored;
      } catch (const DeliveryError& e) {
        error = e.what();
      }
    }
    ASSERT_FALSE(error.empty()) << "512 KiB never filled";
    EXPECT_NE(error.find("result not stored"), std::string::npos) << error;
    EXPECT_NE(error.find("full"), std::string::npos) << error;
    EXPECT_GT(stored, 0);
    EXPECT_EQ(box.depth(), stored);
    EXPECT_FALSE(box.find("tx-" + std::to_string(stored)));
    std::filesystem::remove(filler);  // the technician frees space
    box.enqueue("tx-after", "ok");
  }
  Outbox reopened(db);
  EXPECT_EQ(reopened.depth(), stored + 1);
  EXPECT_EQ(reopened.find("tx-" + std::to_string(stored - 1))->body,
            std::string(700, 'r') + std::to_string(stored - 1));
  EXPECT_EQ(reopened.find("tx-after")->body, "ok");
}
