#pragma once
// cpp-httplib 0.11, as Debian builds it (a shared library, so CPPHTTPLIB_LISTEN_BACKLOG cannot be
// raised at our include), listens with a backlog of 5. In a burst of new connections, a renewal
// wave or 8 load clients, the kernel then drops SYNs and each dropped client retries after 1 s,
// then 3 s: the 1.1 s maxima of the renewal benchmark (nstat ListenOverflows). httplib does not
// expose its socket, so this finds it.
namespace inkan::web {

inline constexpr int kListenBacklog = 128;

// Calls listen(fd, backlog) again on each listening TCP socket of this process bound to `port`
// (Linux then only raises the accept queue's length). Returns how many sockets it changed.
int raise_listen_backlog(int port, int backlog = kListenBacklog);

}  // namespace inkan::web
