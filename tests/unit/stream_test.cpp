// PeekStream: the first bytes are seen twice (identify, then read), and the
// content hash covers every byte once, however the reader consumes them.
#include "converters/stream.hpp"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ultrastrength {
namespace {

TEST(PeekStream, HashIsXxh3OfTheInput) {
    // XXH3-64 (seed 0) of "abc", as xxHash's reference implementation gives it.
    const std::string_view abc = "abc";
    MemoryStream in({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()});
    PeekStream peek(in);
    EXPECT_EQ(peek.finish_hash(), 0x78af5f94892f3950ULL);
}

TEST(PeekStream, HeadIsReadAgainAndEveryByteHashedOnce) {
    std::vector<std::uint8_t> bytes(300000);
    std::uint32_t state = 7;
    for (auto& b : bytes) {
        state = state * 1664525U + 1013904223U;
        b = static_cast<std::uint8_t>(state >> 24);
    }
    MemoryStream in(bytes);
    PeekStream peek(in);
    ASSERT_EQ(peek.head().size(), PeekStream::peek_size);
    // A reader that takes odd amounts, then stops halfway: finish_hash reads the rest.
    std::vector<std::uint8_t> got;
    std::vector<std::uint8_t> chunk(1000);
    while (got.size() < bytes.size() / 2) {
        const std::size_t n = peek.read(chunk.data(), 777);
        ASSERT_GT(n, 0U);
        got.insert(got.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    }
    EXPECT_TRUE(std::equal(got.begin(), got.end(), bytes.begin()));
    EXPECT_EQ(peek.finish_hash(), XXH3_64bits(bytes.data(), bytes.size()));
    EXPECT_EQ(peek.bytes_read(), bytes.size());
}

} // namespace
} // namespace ultrastrength
