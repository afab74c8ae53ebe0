// The doctest entry point shared by every test binary. Logs go to stderr at "warn" so that test
// output stays readable.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "common/logging.h"

int main(int argc, char** argv) {
  capledger::SetUpLogging("warn");
  doctest::Context context(argc, argv);
  return context.run();
}
