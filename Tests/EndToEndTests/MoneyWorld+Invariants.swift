import Foundation

/// The invariants `MoneyInvariantsEndToEndTests` checks once everything settled, and the sandbox's ledger
/// against the gateway's records.
extension MoneyWorld {
    func invariantFailures() async throws -> [String] {
        var failures: [String] = []
        let all = try await payments()
        var byID: [String: [String: Any]] = [:]
        for payment in all {
            guard let id = payment["id"] as? String else { continue }
            if byID[id] != nil { failures.append("payment \(id) listed twice") }
            byID[id] = payment
        }
        let asked = lock.withLock { acknowledged }
        for (id, request) in asked {
            guard let payment = byID[id] else {
                failures.append("acknowledged \(request.type) \(id) is missing")
                continue
            }
            if Self.cents(payment["amount"]) != request.amount * 100 {
                failures.append("\(id): amount \(payment["amount"] ?? "nil"), asked \(request.amount)")
            }
            if let phone = request.phone, payment["phone"] as? String != phone {
                failures.append("\(id): phone \(payment["phone"] ?? "nil"), asked \(phone)")
            }
        }
        for request in lock.withLock({ unanswered }) {
            let made = all.filter {
                $0["type"] as? String == request.type && $0["phone"] as? String == request.phone
                    && Self.cents($0["amount"]) == request.amount * 100
            }
            if made.count != 1 { failures.append("retried \(request.key) made \(made.count) payments") }
        }
        for payment in all where ["pending", "unknown"].contains(payment["status"] as? String ?? "")
            || payment["receipt_pending"] as? Bool == true
        {
            let reason = (payment["reconciliation"] as? [String: Any])?["reason"] as? String
            if reason == nil { failures.append("\(payment["id"] ?? "?") waits with no reconciliation reason") }
        }
        for field in ["checkout_request_id", "mpesa_receipt"] {
            var holders: [String: String] = [:]
            for payment in all {
                guard let value = (payment[field] as? String)?.uppercased(), let id = payment["id"] as? String else {
                    continue
                }
                if let other = holders[value] { failures.append("\(field) \(value) held by \(other) and \(id)") }
                holders[value] = id
            }
        }
        var reversedCents: [String: Int64] = [:]
        for payment in all where payment["type"] as? String == "reversal" && payment["status"] as? String == "succeeded"
        {
            guard let original = payment["original_payment_id"] as? String else { continue }
            reversedCents[original, default: 0] += Self.cents(payment["amount"])
        }
        for (original, cents) in reversedCents where cents > Self.cents(byID[original]?["amount"]) {
            failures.append("reversals of \(original) gave back \(cents) cents, more than it paid")
        }
        var tally: [String: Int] = [:]
        for payment in all { tally["\(payment["type"] ?? "?") \(payment["status"] ?? "?")", default: 0] += 1 }
        let retried = lock.withLock { unanswered.count }
        print(
            "MoneyInvariantsEndToEndTests: \(asked.count) acknowledged (\(retried) after a retry), "
                + "\(all.count) payments: \(tally.sorted { $0.key < $1.key })")
        failures += try await ledgerFailures(all)
        return failures
    }

    /// The sandbox's Working and Utility accounts against what the gateway's payments imply: exact when nothing
    /// waits for a person; otherwise within what the unresolved payments could account for.
    func ledgerFailures(_ all: [[String: Any]]) async throws -> [String] {
        var working = Self.workingStart
        var utility = Self.utilityStart
        var workingSlack: (low: Int64, high: Int64) = (0, 0)
        var utilitySlack: Int64 = 0
        for payment in all {
            let cents = Self.cents(payment["amount"])
            let status = payment["status"] as? String ?? ""
            let unresolved = status == "pending" || status == "unknown"
            switch payment["type"] as? String {
            case "stk_push", "c2b":
                if status == "succeeded" || status == "reversed" { working += cents }
                if unresolved { workingSlack.high += cents }
            case "reversal":
                if status == "succeeded" { working -= cents }
                if unresolved { workingSlack.low += cents }
            case "b2c":
                if status == "succeeded" { utility -= cents }
                if unresolved { utilitySlack += cents }
            default:
                break
            }
        }
        let balances = try await sandboxBalances()
        print(
            "MoneyInvariantsEndToEndTests: sandbox \(balances), gateway implies working \(working) utility \(utility)")
        var failures: [String] = []
        let sandboxWorking = balances["Working Account"] ?? -1
        if !(working - workingSlack.low...working + workingSlack.high).contains(sandboxWorking) {
            failures.append(
                "sandbox working \(sandboxWorking) cents, gateway implies \(working) (slack \(workingSlack))")
        }
        let sandboxUtility = balances["Utility Account"] ?? -1
        if !(utility - utilitySlack...utility).contains(sandboxUtility) {
            failures.append(
                "sandbox utility \(sandboxUtility) cents, gateway implies \(utility) (slack \(utilitySlack))")
        }
        return failures
    }

    static var workingStart: Int64 { MoneyInvariantsEndToEndTests.workingStartCents }
    static var utilityStart: Int64 { MoneyInvariantsEndToEndTests.utilityStartCents }
}
