#pragma once
// One field of a log line (issue 14 item 7): a request path with %0A, %0D and ESC wrote a forged
// line and a raw terminal escape into the access log, unauthenticated. Every byte outside
// printable ASCII (controls, DEL, and the bytes of UTF-8 sequences, which include C1 controls
// and bidirectional overrides), the quote and the backslash become \xNN, so one request is one
// line and a terminal shows the log as text.
#include <string>
#include <string_view>

namespace inkan::web {

std::string log_field(std::string_view raw);

}  // namespace inkan::web
