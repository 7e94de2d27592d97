import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension PaymentLoad {
    /// Open loop: push `index` is due at `start + index / rate`, whatever happened to the ones before, and
    /// its latency runs from that due time, so queueing anywhere (here, the connection pool, the server)
    /// shows in the figures instead of slowing the arrivals (no coordinated omission).
    ///
    /// It runs on one event loop, without a task or a timer per push: a tick every millisecond sends what is
    /// due, and answers are counted where they arrive. The load generator shares the two cores with the
    /// gateway, so every wake-up it saves is CPU the gateway gets (measured: 0.3 ms of CPU per push with a
    /// task and a sleep per push, which is about a fifth of the gateway's own cost).
    ///
    /// `target` `.health` sends `GET /healthz` instead, at the same rate and through the same client: the
    /// baseline of the same run, which shows what the machine (shared, noisy) lets any request achieve.
    func openLoop(
        ratePerSecond: Double, count: Int, inFlightMax: Int, target: OpenLoopTarget = .push
    ) async -> Outcome {
        let loop = http.eventLoopGroup.next()
        let run = OpenLoopRun(
            load: self, target: target, loop: loop, rate: ratePerSecond, count: count, inFlightMax: inFlightMax)
        return await withCheckedContinuation { continuation in
            loop.execute { run.start(continuation) }
        }
    }

    /// What the open loop sends.
    enum OpenLoopTarget: Sendable {
        /// `POST /v1/payments/stk-push`, answered 201 with the payment's id.
        case push
        /// `GET /healthz`, answered 200 (the baseline).
        case health
    }

    /// The request of push `index` (or of the baseline's `GET /healthz`), for AsyncHTTPClient's event-loop API.
    func request(_ index: Int, target: OpenLoopTarget) throws -> HTTPClient.Request {
        if target == .health { return try HTTPClient.Request(url: baseURL + "/healthz", method: .GET) }
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Idempotency-Key", value: "bench-\(phase)-\(index)")
        return try HTTPClient.Request(
            url: baseURL + "/v1/payments/stk-push", method: .POST, headers: headers, body: .string(body(index)))
    }
}

/// One open-loop phase. Every stored property is touched on `loop` only.
private final class OpenLoopRun: @unchecked Sendable {
    private let load: PaymentLoad
    private let target: PaymentLoad.OpenLoopTarget
    private let loop: any EventLoop
    private let rate: Double
    private let count: Int
    private let inFlightMax: Int
    private var start = NIODeadline.now()
    private var nextIndex = 0
    private var inFlight = 0
    private var answered = 0
    private var outcome = PaymentLoad.Outcome()
    private var ticker: RepeatedTask?
    private var continuation: CheckedContinuation<PaymentLoad.Outcome, Never>?

    init(
        load: PaymentLoad, target: PaymentLoad.OpenLoopTarget, loop: any EventLoop, rate: Double, count: Int,
        inFlightMax: Int
    ) {
        self.load = load
        self.target = target
        self.loop = loop
        self.rate = rate
        self.count = count
        self.inFlightMax = inFlightMax
    }

    func start(_ continuation: CheckedContinuation<PaymentLoad.Outcome, Never>) {
        loop.assertInEventLoop()
        self.continuation = continuation
        start = .now()
        guard count > 0 else { return finish() }
        ticker = loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { _ in self.tick() }
    }

    private func due(_ index: Int) -> NIODeadline {
        start + .nanoseconds(Int64((Double(index) / rate * 1e9).rounded()))
    }

    /// Sends every push that is due by now (a late tick sends several), as far as `inFlightMax` allows.
    private func tick() {
        let now = NIODeadline.now()
        while nextIndex < count, due(nextIndex) <= now, inFlight < inFlightMax {
            send(nextIndex)
            nextIndex += 1
        }
        if nextIndex == count {
            ticker?.cancel()
            ticker = nil
        }
    }

    private func send(_ index: Int) {
        let due = due(index)
        let sentAt = Double((due - start).nanoseconds) / 1e9
        inFlight += 1
        let request: HTTPClient.Request
        do {
            request = try load.request(index, target: target)
        } catch {
            return answer(.failure(.init("bad request")), due: due, sentAt: sentAt)
        }
        load.http.execute(request: request, eventLoop: .delegateAndChannel(on: loop), deadline: .now() + .seconds(30))
            .hop(to: loop)
            .whenComplete { result in
                let pushed = result.mapError { PaymentLoad.PushFailure(String(describing: type(of: $0))) }
                    .flatMap { PaymentLoad.outcome(of: $0, target: self.target) }
                self.answer(pushed, due: due, sentAt: sentAt)
            }
    }

    private func answer(_ result: Result<String, PaymentLoad.PushFailure>, due: NIODeadline, sentAt: Double) {
        let latencyMs = Double((NIODeadline.now() - due).nanoseconds) / 1e6
        outcome.record(result, latencyMs: latencyMs, sentAt: sentAt)
        inFlight -= 1
        answered += 1
        if answered == count { finish() }
    }

    private func finish() {
        ticker?.cancel()
        outcome.seconds = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        outcome.monotonicStartSeconds = Double(start.uptimeNanoseconds) / 1e9
        continuation?.resume(returning: outcome)
        continuation = nil
    }
}
