// The languages a page or a chart is written in. Swedish is the default: the readers are Swedish.
#pragma once

namespace capledger::present {

// kSv: Swedish (the default); kEn: English (?lang=en).
enum class Lang { kSv, kEn };

}  // namespace capledger::present
