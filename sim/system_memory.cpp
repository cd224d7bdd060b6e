// Memory for the programs, when they allocate through tcmalloc: each 1 MiB region its page heap
// grows by for small objects is faulted in at once (madvise MADV_POPULATE_WRITE, Linux 5.14)
// instead of one page at a time as it is first written. In a VM each page fault is an exit to the
// hypervisor: 10.2 us a page touched one by one on the machine this was measured on, 2.2 us a page
// populated in one call, and a 5,000-node cluster touches about half a million pages as it is
// built. tcmalloc carves such a region into objects at once, so populating it costs little memory
// that would not be used. Linked into each program (not a library: nothing calls it; its static
// object installs it at start).
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>

#include <gperftools/malloc_extension.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace {

class PrefaultingAllocator final : public SysAllocator {
 public:
  explicit PrefaultingAllocator(SysAllocator* next) : next_(next) {}
  void* Alloc(size_t size, size_t* actual_size, size_t alignment) override {
    if (size > kGrowth) return next_->Alloc(size, actual_size, alignment);
    // A growth is taken as one whole, aligned huge page and advised MADV_HUGEPAGE: where
    // transparent huge pages are "madvise" (Debian's default) it is then faulted in as one 2 MiB
    // page, not 512 small ones.
    size_t got = 0;
    void* p = next_->Alloc(kHugePage, &got, std::max(alignment, kHugePage));
    if (!p) return next_->Alloc(size, actual_size, alignment);  // no aligned 2 MiB left: as asked
    if (actual_size) *actual_size = got;
    // An older kernel refuses either advice (EINVAL): its pages then fault one by one, as without it.
    madvise(p, got, MADV_HUGEPAGE);
    madvise(p, got, MADV_POPULATE_WRITE);
    return p;
  }

 private:
  // The page heap grows by 1 MiB at least (kMinSystemAlloc) for small objects, which it carves up
  // and writes at once. A larger request is one large block (a vector's new capacity, say), often
  // not all written: it keeps faulting page by page, as it is used.
  static constexpr size_t kGrowth = size_t(1) << 20;
  static constexpr size_t kHugePage = size_t(2) << 20;
  SysAllocator* next_;
};

struct Install {
  Install() {
    MallocExtension* m = MallocExtension::instance();
    if (SysAllocator* next = m->GetSystemAllocator()) {
      static PrefaultingAllocator prefaulting(next);
      m->SetSystemAllocator(&prefaulting);
    }
  }
} install;

}  // namespace
