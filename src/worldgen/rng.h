// The generator's random numbers: xoshiro256** seeded by splitmix64, integers only, so that a
// seed gives the same world on every machine and compiler.
#pragma once

#include <array>
#include <cstdint>

namespace capledger::worldgen {

// A deterministic pseudo-random stream. Not for cryptography.
class Rng {
 public:
  // The stream for `seed`; every seed, 0 included, gives a usable state.
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  // The next 64 random bits.
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); REQUIRES n > 0. (The modulo bias is below 2^-40 for every n used here.)
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }

  // Uniform in [lo, hi]; REQUIRES lo <= hi.
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability per_mille / 1000.
  bool PerMille(std::uint64_t per_mille) { return Below(1000) < per_mille; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

}  // namespace capledger::worldgen
