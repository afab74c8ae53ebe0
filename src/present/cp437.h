// Code page 437, the "PC8" character set of SIE files: text from UTF-8 to CP437 bytes.
#pragma once

#include <string>
#include <string_view>

namespace capledger::present {

// The CP437 bytes of UTF-8 `text`: printable ASCII as is, every character CP437 has (å ä ö Å Ä Ö
// é ü ... and the box and Greek characters) as its byte, anything else (a character CP437 lacks,
// a control character, invalid UTF-8) as '?'. One output byte per character.
std::string Cp437FromUtf8(std::string_view text);

}  // namespace capledger::present
