// Reading simdjson DOM values field by field, with the stable rejection codes of DOMAIN.md §4.1.
//
// INTERNAL to the codec layer: this header exposes simdjson types, so only src/codec/*.cc files
// include it. Nothing here throws: simdjson is used through its error-code API only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "codec/reject_code.h"

namespace capledger::codec::json {

// The first problem found while decoding one line. Once set, the readers below skip their checks
// and return defaults, so the rejection names the first bad field in check order and no later
// check works on a value that failed.
class Problem {
 public:
  // True while nothing is wrong.
  bool ok() const { return !rejection_.has_value(); }
  // Records a problem unless one is recorded already.
  void Set(RejectCode code, std::string field, std::string message);
  // The recorded problem. REQUIRES: !ok().
  Rejection Take();

 private:
  std::optional<Rejection> rejection_;
};

// Names one JSON value for rejections: `parent.key`, or `parent.key[index]` for an array item.
// The path string is only built when a rejection needs it.
struct FieldRef {
  std::string_view parent;  // "" at the top level of a line
  std::string_view key;
  int index = -1;  // >= 0 for an item of the array `key`

  // "counts.home_visits", "adjusts[0]", "rulebook".
  std::string Path() const;
};

// Checks of one JSON value's type. After a problem they do nothing and return a default value.
// Each records kWrongType (naming the expected type) if the value has another JSON type.
std::string_view ReadString(Problem& problem, simdjson::dom::element value, const FieldRef& ref);
simdjson::dom::object ReadObject(Problem& problem, simdjson::dom::element value, const FieldRef& ref);
simdjson::dom::array ReadArray(Problem& problem, simdjson::dom::element value, const FieldRef& ref);
// A JSON integer (no fraction, no exponent: 5.0 and "5" are kWrongType) within [min, max]; out of
// range is `range_code`.
std::int64_t ReadInteger(Problem& problem, simdjson::dom::element value, const FieldRef& ref,
                         std::int64_t min, std::int64_t max, RejectCode range_code);

// Whether an object must carry a key.
enum class Presence : std::uint8_t { kRequired, kOptional };

// One key an object may carry.
struct Key {
  std::string_view name;
  Presence presence = Presence::kRequired;
};

// The most keys one object may declare.
inline constexpr std::size_t kKeysMax = 24;

// The values of one JSON object, matched against the keys it may carry.
//
// Keeps references to `problem`, `keys` and the parent path text; all must outlive the reader.
// The values point into the parser's document and are valid until the parser parses again.
class ObjectReader {
 public:
  // `path` is the object's own path ("" for the line itself, "counts", "unbooked[2]").
  ObjectReader(Problem& problem, std::string_view path, std::span<const Key> keys);

  // Matches every key of `object` to the declared keys, in document order: a key not declared is
  // kUnknownField, a key seen twice kMalformedJson; then the first required key that is absent is
  // kMissingField. Returns problem().ok().
  bool Load(simdjson::dom::object object);

  // The value of `key`, or nullptr if the object does not carry it. REQUIRES: `key` is declared.
  const simdjson::dom::element* Lookup(std::string_view key) const;
  // True if the object carries `key`. REQUIRES: `key` is declared.
  bool Has(std::string_view key) const { return Lookup(key) != nullptr; }
  // The value of a present key. REQUIRES: Has(key).
  simdjson::dom::element Value(std::string_view key) const;
  // The reference naming `key` in rejections.
  FieldRef Ref(std::string_view key) const { return FieldRef{path_, key}; }

  // Typed reads of a present key (see ReadString and friends). An absent key, or any read after a
  // problem, returns the default value.
  std::string_view String(std::string_view key);
  simdjson::dom::object Object(std::string_view key);
  simdjson::dom::array Array(std::string_view key);
  std::int64_t Integer(std::string_view key, std::int64_t min, std::int64_t max, RejectCode range_code);

  // Records a problem with the value of `key`; its field is the key's full path.
  void Reject(std::string_view key, RejectCode code, std::string message);

  Problem& problem() const { return problem_; }
  std::string_view path() const { return path_; }

 private:
  // The index of `key` among the declared keys, or keys_.size().
  std::size_t Find(std::string_view key) const;

  Problem& problem_;
  std::string_view path_;
  std::span<const Key> keys_;
  std::array<simdjson::dom::element, kKeysMax> values_{};
  std::uint32_t present_ = 0;  // bit i: keys_[i] was seen
  mutable std::size_t hint_ = 0;  // where Find starts: after the last key it found
};

// Checks that no object anywhere inside `value` has the same key twice (kMalformedJson naming the
// path of the repeated key). Walks with an explicit stack (no recursion); the work is bounded by
// the size of the document.
void CheckNoDuplicateKeys(Problem& problem, simdjson::dom::element value, std::string_view path);

}  // namespace capledger::codec::json
