#include "domain/personnummer.h"

namespace capledger::domain {

int LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - sum % 10) % 10;
}

Result<Personnummer> ParsePersonnummer(std::string_view text) {
  std::string digits;
  if (text.size() == 13 && text[8] == '-') {
    digits = std::string(text.substr(0, 8)) + std::string(text.substr(9));
  } else if (text.size() == 12) {
    digits = std::string(text);
  } else if (text.size() == 10 || text.size() == 11) {
    return Fail(ErrorCode::kInvalidArgument,
                "personnummer needs the 12-digit form YYYYMMDD-NNNC (the 10-digit form has no century)");
  } else {
    return Fail(ErrorCode::kInvalidArgument, "personnummer must be YYYYMMDD-NNNC or YYYYMMDDNNNC");
  }
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return Fail(ErrorCode::kInvalidArgument, "personnummer must be YYYYMMDD-NNNC or YYYYMMDDNNNC");
    }
  }
  const int y = std::stoi(digits.substr(0, 4));
  const int m = std::stoi(digits.substr(4, 2));
  int d = std::stoi(digits.substr(6, 2));
  const bool coordination = d >= 61 && d <= 91;
  if (coordination) d -= 60;
  if (!IsValidDate(y, m, d)) return Fail(ErrorCode::kInvalidArgument, "personnummer has an impossible date");
  if (LuhnCheckDigit(std::string_view(digits).substr(2, 9)) != digits[11] - '0') {
    return Fail(ErrorCode::kInvalidArgument, "personnummer check digit is wrong");
  }
  Personnummer out;
  out.birth_date = Date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                        std::chrono::day(static_cast<unsigned>(d))};
  out.sex = (digits[10] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  out.coordination_number = coordination;
  out.twelve_digits = std::move(digits);
  return out;
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The end of the run of digits that starts at `pos`.
std::size_t DigitRunEnd(std::string_view text, std::size_t pos) {
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  return pos;
}

}  // namespace

bool IsResidentField(std::string_view key) { return key == "personnummer" || key == "resident"; }

bool ContainsPersonnummer(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (!IsDigit(text[pos])) {
      ++pos;
      continue;
    }
    const std::size_t end = DigitRunEnd(text, pos);
    if (end - pos == 12 && ParsePersonnummer(text.substr(pos, 12))) return true;
    if (end - pos == 8 && end + 5 <= text.size() && text[end] == '-' && DigitRunEnd(text, end + 1) == end + 5 &&
        ParsePersonnummer(text.substr(pos, 13))) {
      return true;
    }
    pos = end;
  }
  return false;
}

}  // namespace capledger::domain
