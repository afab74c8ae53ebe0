// Dates, timestamps and fixed-width numbers written digit by digit for the event writer, without
// fmt's or FormatDate's allocation (the generator writes millions of events). Private to codec.
#pragma once

#include <cstdint>
#include <string>

#include "common/assert.h"
#include "common/clock.h"
#include "domain/date.h"

namespace capledger::codec::json_digits {

// Appends `value` as exactly `width` decimal digits, zero-padded; REQUIRES 0 <= value < 10^width.
inline void AppendDigits(std::string& out, std::uint64_t value, int width) {
  const std::size_t at = out.size();
  out.append(static_cast<std::size_t>(width), '0');
  for (std::size_t i = out.size(); i > at && value > 0; --i, value /= 10) out[i - 1] = static_cast<char>('0' + value % 10);
  LEDGER_ASSERT(value == 0);  // it had more digits than `width`
}

// Appends `date` as domain::FormatDate writes it ("2024-02-29").
inline void AppendDate(std::string& out, domain::Date date) {
  const int year = static_cast<int>(date.year());
  if (!date.ok() || year < 0 || year > 9999) {  // rare: FormatDate writes what does not fit the shape
    out += domain::FormatDate(date);
    return;
  }
  AppendDigits(out, static_cast<std::uint64_t>(year), 4);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(date.month()), 2);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(date.day()), 2);
}

// Appends `t` as domain::FormatTimestamp writes it ("2024-04-05T06:00:00.000123Z").
inline void AppendTimestamp(std::string& out, Timestamp t) {
  constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
  const std::int64_t micros = ToMicros(t);
  const std::int64_t days = micros >= 0 ? micros / kMicrosPerDay : (micros + 1) / kMicrosPerDay - 1;
  const auto in_day = static_cast<std::uint64_t>(micros - days * kMicrosPerDay);
  AppendDate(out, domain::DateFromDays(static_cast<std::int32_t>(days)));
  out += 'T';
  AppendDigits(out, in_day / 3'600'000'000, 2);
  out += ':';
  AppendDigits(out, in_day / 60'000'000 % 60, 2);
  out += ':';
  AppendDigits(out, in_day / 1'000'000 % 60, 2);
  out += '.';
  AppendDigits(out, in_day % 1'000'000, 6);
  out += 'Z';
}

}  // namespace capledger::codec::json_digits
