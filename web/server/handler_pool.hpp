#pragma once
// The handler threads both servers hand requests to: a fixed number of threads (the database
// connections, keys and CPU of ServerLimits::threads) taking tasks in order. The HTTPS server
// waits for each answer on its connection thread; the OCSP listener's event loop submits and
// moves on. Each task counts as a busy handler in the metrics while it runs.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace inkan::web {

class HandlerPool {
 public:
  explicit HandlerPool(std::size_t threads);
  // Runs what is queued, then stops.
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  void submit(std::function<void()> task);

  // Runs `work` on a handler thread and waits for it; its exception is rethrown here.
  template <typename Result>
  Result run(std::function<Result()> work);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace inkan::web

#include <future>
#include <memory>

namespace inkan::web {

template <typename Result>
Result HandlerPool::run(std::function<Result()> work) {
  // A packaged_task is move-only and std::function copies: the task is shared instead.
  auto task = std::make_shared<std::packaged_task<Result()>>(std::move(work));
  auto result = task->get_future();
  submit([task] { (*task)(); });
  return result.get();
}

}  // namespace inkan::web
