import AsyncHTTPClient
import DarajaWire
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Delivers callbacks after their delay, with bounded concurrency, from a bounded queue, without ever
/// blocking request handling: handlers `enqueue` and return. A long-lived `Service` (STYLE rule 2).
final class CallbackSender: Service, Sendable {
    private let stream: AsyncStream<CallbackJob>
    private let continuation: AsyncStream<CallbackJob>.Continuation
    private let configuration: SandboxConfiguration
    private let logger: Logger
    let deliveredCount = Atomic<Int>(0)
    let failedCount = Atomic<Int>(0)
    let droppedCount = Atomic<Int>(0)

    init(configuration: SandboxConfiguration, logger: Logger) {
        (stream, continuation) = AsyncStream.makeStream(
            of: CallbackJob.self, bufferingPolicy: .bufferingOldest(configuration.callbackQueueDepthMax)
        )
        self.configuration = configuration
        self.logger = logger
    }

    /// Queues a delivery; never waits. Beyond `callbackQueueDepthMax` the job is dropped and counted.
    func enqueue(_ job: CallbackJob) {
        if case .dropped = continuation.yield(job) {
            droppedCount.add(1, ordering: .relaxed)
            logger.warning("sandbox callback queue full; callback dropped")
        }
    }

    /// Enqueues a JSON POST of `payload` to `url`, `count` times, after the configured delay.
    func schedule(_ payload: some Encodable, to url: String, count: Int = 1) {
        guard count > 0, let body = try? JSONEncoder().encode(payload) else { return }
        schedule(json: body, to: url, count: count)
    }

    /// Enqueues a POST of ready JSON bytes to `url`, `count` times, after the configured delay.
    func schedule(json body: Data, to url: String, count: Int = 1) {
        guard count > 0 else { return }
        let dueAt = ContinuousClock.now + .milliseconds(configuration.callbackDelayMs)
        for copy in 0..<count {
            enqueue(CallbackJob(dueAt: dueAt + .milliseconds(Int64(copy) * 5), delivery: .post(url: url, body: body)))
        }
    }

    func run() async throws {
        var httpConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit =
            configuration.callbackConcurrencyMax
        httpConfiguration.timeout = .init(connect: .seconds(5), read: .milliseconds(configuration.callbackTimeoutMs))
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        // One graceful-shutdown hook for the whole loop: on shutdown the wait for a due time and the stream
        // both end, and deliveries still in flight are cancelled.
        await cancelWhenGracefulShutdown { await self.dispatch(with: httpClient) }
        continuation.finish()
        try await httpClient.shutdown()
    }

    /// Takes jobs in order (equal delays make arrival order the due order), waits until each is due, and
    /// keeps at most `callbackConcurrencyMax` deliveries in flight.
    private func dispatch(with httpClient: HTTPClient) async {
        let inFlightMax = max(configuration.callbackConcurrencyMax, 1)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for await job in stream {
                if job.dueAt > ContinuousClock.now {
                    do { try await Task.sleep(until: job.dueAt, clock: .continuous) } catch { break }
                }
                if inFlight >= inFlightMax {
                    await group.next()
                    inFlight -= 1
                }
                inFlight += 1
                group.addTask { await self.deliver(job, with: httpClient) }
            }
        }
    }

    private func deliver(_ job: CallbackJob, with httpClient: HTTPClient) async {
        switch job.delivery {
        case .post(let url, let body):
            _ = await post(body, to: url, with: httpClient)
        case .c2b(let flow):
            await deliverC2B(flow, with: httpClient)
        }
    }

    private func deliverC2B(_ flow: C2BDelivery, with httpClient: HTTPClient) async {
        var confirmation = flow.transaction
        let validationBody = (try? JSONEncoder().encode(flow.transaction)) ?? Data()
        let answer = await post(validationBody, to: flow.registration.validationURL, with: httpClient)
        let accepted: Bool
        if let answer, let reply = try? JSONDecoder().decode(CallbackAcknowledgement.self, from: answer) {
            accepted = reply.isAccepted
            if accepted, let reference = reply.thirdPartyTransID { confirmation.thirdPartyTransID = reference }
        } else {
            accepted = flow.registration.responseType.lowercased() == "completed"
        }
        guard accepted else {
            flow.onRejected()
            return
        }
        confirmation.orgAccountBalance = flow.balanceAfter
        let confirmationBody = (try? JSONEncoder().encode(confirmation)) ?? Data()
        _ = await post(confirmationBody, to: flow.registration.confirmationURL, with: httpClient)
    }

    /// POSTs `body`; returns the 2xx answer body, or nil when delivery failed.
    private func post(_ body: Data, to url: String, with httpClient: HTTPClient) async -> Data? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await httpClient.execute(
                request, timeout: .milliseconds(configuration.callbackTimeoutMs))
            let answer = try await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(Int(response.status.code)) else {
                failedCount.add(1, ordering: .relaxed)
                return nil
            }
            deliveredCount.add(1, ordering: .relaxed)
            return Data(answer.readableBytesView)
        } catch {
            failedCount.add(1, ordering: .relaxed)
            logger.debug("sandbox callback not delivered", metadata: ["url": "\(url)", "error": "\(error)"])
            return nil
        }
    }
}
