#include "web/serve.hpp"

#include "ca/store/admin_repositories.hpp"

#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "ca/domain/error.hpp"

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <thread>

#include "web/app.hpp"
#include "web/http/router.hpp"
#include "web/ocsp/quick_answer.hpp"
#include "web/routes.hpp"
#include "web/server/plain_http_server.hpp"
#include "web/monitoring/metrics_registry.hpp"
#include "ca/service/monitoring/operation_events.hpp"

namespace inkan::web {
namespace {

TlsIdentity identity_of(const service::ServerCredential& c) { return {c.cert_der, c.chain_der, c.key_pkcs8_der}; }

void report_server_certificate(const service::ServerCredential& c, const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& n : names) joined += (joined.empty() ? "" : ", ") + n;
  std::cerr << "inkan serve: server certificate " << c.serial.hex() << " for " << joined << ", valid until "
            << format_rfc3339(c.not_after) << (c.issued_now ? " (issued now)" : "") << "\n";
}

// Checks the server certificate (renewed when fewer than 30 days remain) and reloads our CA
// certificates (a rollover made by the CLI meanwhile) every `interval`, until stopped. The
// server certificate and the form secret are the installation's, in the database: when another
// node renewed or rotated them, this one takes the stored ones (issue 22 item 3).
class Maintenance {
 public:
  Maintenance(App& app, TlsState& tls, std::vector<std::string> names, std::chrono::seconds interval,
              Serial serving)
      : app_(app), tls_(tls), names_(std::move(names)), interval_(interval), serving_(std::move(serving)),
        thread_([this] { loop(); }) {}
  ~Maintenance() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      try {
        // Trust first: it needs no passphrase, so it still follows a rollover when the server
        // certificate cannot be renewed (after `inkan passphrase change`, until a restart).
        tls_.set_trusted_cas(app_.ca_certificates());
        // The CRL re-signed ahead of its end, so /healthz and the metrics see a current one even
        // when nobody fetches it.
        app_.current_crl();
        app_.refresh_form_secret();
        auto cred = app_.ensure_server_certificate(names_);
        if (cred.serial != serving_) {  // renewed here, or by another node
          tls_.set_identity(identity_of(cred));
          report_server_certificate(cred, names_);
          serving_ = cred.serial;
        }
      } catch (const std::exception& e) {
        std::cerr << "inkan serve: maintenance failed (will retry): " << e.what() << "\n";
      }
      lock.lock();
    }
  }

  App& app_;
  TlsState& tls_;
  std::vector<std::string> names_;
  std::chrono::seconds interval_;
  Serial serving_;  // the server certificate presented now
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

// Applies certificate state changes to the OCSP responder's pre-produced responses every
// `interval` (a revocation by `inkan revoke` in another process is served within one), until
// stopped.
class OcspRefresher {
 public:
  OcspRefresher(App& app, std::chrono::milliseconds interval)
      : app_(app), interval_(interval), thread_([this] { loop(); }) {}
  ~OcspRefresher() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    bool failing = false;
    while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      try {
        auto r = app_.refresh_ocsp();
        if (r.changes || r.cache_dropped)
          std::cerr << "inkan serve: ocsp: " << r.changes << " certificate change(s), " << r.resigned
                    << " response(s) signed ahead" << (r.cache_dropped ? ", cache dropped" : "") << "\n";
        failing = false;
      } catch (const std::exception& e) {
        if (!failing) std::cerr << "inkan serve: ocsp refresh failed (will retry): " << e.what() << "\n";
        failing = true;
      }
      lock.lock();
    }
  }

  App& app_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

std::string url_host(const ServeConfig& c) {
  if (c.host == "0.0.0.0" || c.host == "::" || c.host.empty()) return c.hostnames.front();
  return c.host.find(':') != std::string::npos ? "[" + c.host + "]" : c.host;
}

}  // namespace

namespace {
int g_stop_pipe[2] = {-1, -1};  // written by the signal handler, read by the signal thread
}  // namespace

std::vector<std::string> default_hostnames(const std::string& listen_host) {
  std::vector<std::string> names{"localhost"};
  if (!listen_host.empty() && listen_host != "0.0.0.0" && listen_host != "::" && listen_host != "localhost" &&
      listen_host.find(':') == std::string::npos)
    names.push_back(listen_host);
  return names;
}

void serve(const ServeConfig& config, service::Keyring& keyring) {
  // SIGTERM and SIGINT go through a process-wide handler and a self-pipe: whichever thread the
  // kernel picks (libraries may have started threads before us) only writes one byte, and a
  // dedicated thread does the stopping. A peer closing mid-write must not kill the process.
  if (::pipe2(g_stop_pipe, O_CLOEXEC) != 0) throw Error(ErrorCode::Io, "cannot create the signal pipe");
  struct sigaction on_stop {};
  on_stop.sa_handler = [](int sig) {
    unsigned char b = static_cast<unsigned char>(sig);
    (void)!::write(g_stop_pipe[1], &b, 1);
  };
  sigemptyset(&on_stop.sa_mask);
  ::sigaction(SIGTERM, &on_stop, nullptr);
  ::sigaction(SIGINT, &on_stop, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  SystemClock system_clock;
  App app(config.data_dir, keyring, config.admin_login, config.clock ? *config.clock : system_clock);
  service::set_operation_events(&metrics());
  auto cred = app.ensure_server_certificate(config.hostnames);
  report_server_certificate(cred, config.hostnames);
  auto tls = std::make_shared<TlsState>(identity_of(cred), app.ca_certificates());

  app.prepare_ocsp();
  try {
    app.current_crl();  // signed now, so /healthz has a CRL to judge from the first probe
  } catch (const std::exception& e) {
    std::cerr << "inkan serve: cannot sign the CRL (will retry): " << e.what() << "\n";
  }

  HttpsServer server(config.limits, tls);
  server.bind(config.host, config.port);
  std::unique_ptr<PlainHttpServer> ocsp_server;
  if (config.ocsp_listen) {
    ocsp_server = std::make_unique<PlainHttpServer>(config.limits);
    ocsp_server->bind(config.ocsp_listen->host, config.ocsp_listen->port);
  }
  std::unique_ptr<HttpsServer> metrics_server;
  if (config.metrics_listen) {
    metrics_server = std::make_unique<HttpsServer>(config.limits, nullptr);
    metrics_server->bind(config.metrics_listen->host, config.metrics_listen->port);
  }

  Router router;
  add_portal_routes(router, app);
  add_api_routes(router, app);
  add_public_routes(router, app);
  add_est_routes(router, app);
  add_admin_routes(router, app);
  add_ocsp_routes(router, app);
  add_health_routes(router, app);
  Router metrics_router;  // the metrics listener serves /metrics only
  add_metrics_routes(metrics_router, app, config.metrics_per_tenant);
  Router ocsp_router;  // the plain-HTTP listener: OCSP and the CRLs (relying parties fetch both over http://)
  add_ocsp_routes(ocsp_router, app);
  add_crl_routes(ocsp_router, app);

  std::atomic<bool> stopping{false};
  std::thread signal_thread([&] {
    unsigned char sig = 0;
    while (::read(g_stop_pipe[0], &sig, 1) < 0 && errno == EINTR) {
    }
    if (!stopping.exchange(true))
      std::cerr << "inkan serve: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ": finishing requests and stopping\n";
    server.stop();
    if (ocsp_server) ocsp_server->stop();
    if (metrics_server) metrics_server->stop();
  });

  {
    Maintenance maintenance(app, *tls, config.hostnames, config.maintenance_interval, cred.serial);
    OcspRefresher ocsp_refresher(app, config.ocsp_refresh_interval);
    std::thread ocsp_thread;
    if (ocsp_server) {
      // Pre-produced responses are answered on the listener's event loops, the rest by the router.
      ocsp_thread = std::thread([&] {
        ocsp_server->run([&ocsp_router](const Request& req) { return ocsp_router.dispatch(req); },
                         [&app](const Request& req) { return answer_ocsp_at_once(app, req); });
      });
      std::cout << "inkan serve: OCSP over plain HTTP at http://" << config.ocsp_listen->host << ":"
                << config.ocsp_listen->port << "/ocsp, and the CRLs at their URLs' paths" << std::endl;
    }
    std::thread metrics_thread;
    if (metrics_server) {
      metrics_thread = std::thread([&] { metrics_server->run([&metrics_router](const Request& req) { return metrics_router.dispatch(req); }); });
      std::cout << "inkan serve: Prometheus metrics over plain HTTP at http://" << config.metrics_listen->host << ":"
                << config.metrics_listen->port << "/metrics" << std::endl;
    }
    std::cerr << "inkan serve: management site at /admin/; its login "
              << (config.admin_login.require_client_cert ? "needs" : "does not need")
              << " a tenant-admin client certificate (an operator certificate for operators) bound to the "
                 "administrator's account\n";
    if (config.admin_login.require_client_cert) {
      // The one-time step after upgrading (issue 14 item 4): say who cannot log in, and the fix.
      std::string names;
      for (const auto& u : app.store().admin_certificates().without_usable_certificate(app.clock().now()))
        if (!(u.is_operator() && config.admin_login.operators_exempt_from_certificate))
          names += (names.empty() ? "" : ", ") + u.username;
      if (!names.empty())
        std::cerr << "inkan serve: WARNING: these administrators have no valid certificate bound to their account and "
                     "cannot log in: "
                  << names << " (bind one with `inkan user bind-certificate NAME SERIAL`; see `inkan doctor`)\n";
    }
    std::cout << "inkan serve: listening on https://" << url_host(config) << ":" << config.port << "/" << std::endl;
    server.run([&router](const Request& req) { return router.dispatch(req); });
    if (ocsp_server) {
      ocsp_server->stop();
      ocsp_thread.join();
    }
    if (metrics_server) {
      metrics_server->stop();
      metrics_thread.join();
    }
  }
  if (!stopping.exchange(true)) {
    unsigned char wake = 0;  // the server stopped by itself: release the signal thread
    (void)!::write(g_stop_pipe[1], &wake, 1);
  }
  signal_thread.join();
  std::cerr << "inkan serve: stopped\n";
}

}  // namespace inkan::web
