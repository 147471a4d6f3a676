#pragma once
// The files of a finished batch, (re)built from the journal and the store on every run, so the
// last run's outputs cover the whole batch whatever earlier runs managed to write:
//   DIR/<tenant>/<stem>.p12      re-exported from the store when missing or different (the
//                                files this run wrote itself are not read back)
//   DIR/<tenant>/passwords.csv   file,serial,cn,password (0600; never inside a zip)
//   DIR/<tenant>.zip             the tenant's p12s, ca-chain.pem and README.txt
//   DIR/manifest.json            schemas/json/batch-manifest.schema.json
#include <cstdint>
#include <string>

#include "ca/domain/batch.hpp"
#include "ca/service/batch/batch_files.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct RunFigures {  // what this run did, for the manifest
  std::int64_t issued = 0;
  std::int64_t skipped = 0;
  std::int64_t dropped_reservations = 0;
  std::int64_t invalid_rows = 0;  // batch issue --skip-invalid
};

struct OutputsResult {
  std::int64_t entries = 0;     // committed items in the manifest
  std::int64_t reexported = 0;  // p12 files written again from the store
  std::int64_t tenants = 0;
};

// `written`: the p12s this run's pipeline put in place; every other p12 is re-hashed.
OutputsResult write_batch_outputs(Store& store, Keyring& keyring, const Clock& clock, const Actor& actor,
                                  const BatchJob& job, const RunFigures& run, const WrittenThisRun& written = {});

// RFC 4180 quoting; a leading = + - @ (a spreadsheet formula) is neutralised with a quote.
std::string csv_cell(const std::string& value);

}  // namespace inkan::service
