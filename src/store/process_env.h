// The RocksDB environment every store of this process opens with: RocksDB's own (the local file
// system) unless a program sets another before it opens a store. Only the storage-fault test
// program (tests/faults/) sets one, to inject failing writes, syncs and reads and power loss
// under the real command line.
#pragma once

namespace rocksdb {
class Env;
}

namespace capledger::store {

// Sets the environment for every store opened from now on; `env` is not owned and must outlive
// them all. Null restores RocksDB's default.
void SetProcessEnv(rocksdb::Env* env);

// The environment set by SetProcessEnv, or null for RocksDB's default.
rocksdb::Env* ProcessEnv();

}  // namespace capledger::store
