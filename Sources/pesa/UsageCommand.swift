import ArgumentParser
import Foundation
import PesaCLI
import PesaCore
import PesaStore

struct UsageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage", abstract: "Billing usage, from the journals.", subcommands: [Rebuild.self])

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild",
            abstract: "Recompute a month's usage of organizations from their journals, from the first line.",
            discussion: """
                Prints each organization's usage of the month (Kenya time) as a replay of its whole journal makes \
                it, and every difference from what the server holds (its newest snapshot and the lines after it). \
                Exits 0 when there is none, 1 otherwise. Only reads, so it may run beside a server writing the same \
                folder; API calls counted in memory and not yet journaled (at most the last 10 seconds) are not \
                in either.
                """)

        @OptionGroup var options: DataOptions

        @Option(help: "The month, YYYY-MM (Kenya time).")
        var month: String

        func validate() throws {
            guard KenyaTime.month(month) != nil else { throw ValidationError("--month must be YYYY-MM, e.g. 2026-12") }
        }

        func run() throws {
            try options.directory.checkExisting()
            var differences = 0
            for manifest in try options.tenants() {
                let states = try TenantStore.offlineStates(
                    directory: options.directory.tenantDirectory(manifest.id), as: TenantState.self, io: PosixFileIO())
                guard let rebuilt = states.replayed.usage(month: month), let held = states.held.usage(month: month)
                else { continue }
                print("\(manifest.id) (\(manifest.slug)) \(month): " + Self.summary(rebuilt))
                for line in Self.differences(rebuilt, held) {
                    print("  differs: \(line)")
                    differences += 1
                }
            }
            print(differences == 0 ? "no difference" : "\(differences) difference(s)")
            if differences > 0 { throw ExitCode(1) }
        }

        static func summary(_ usage: MonthUsage) -> String {
            var parts = ["api_calls \(usage.apiCalls)"]
            for item in UsageItem.allCases {
                let count = usage.count(item)
                let hasVolume = item == .collectionsSucceeded || item == .payoutsSucceeded
                parts.append("\(item.rawValue) \(count.count)" + (hasVolume ? " (\(count.volume) KES)" : ""))
            }
            if let first = usage.firstSeq, let last = usage.lastSeq { parts.append("lines \(first)-\(last)") }
            return parts.joined(separator: ", ")
        }

        /// What differs between the replay's usage and the server's, item by item.
        static func differences(_ rebuilt: MonthUsage, _ held: MonthUsage) -> [String] {
            var lines: [String] = []
            if rebuilt.apiCalls != held.apiCalls {
                lines.append("api_calls: journal \(rebuilt.apiCalls), server \(held.apiCalls)")
            }
            for item in UsageItem.allCases where rebuilt.count(item) != held.count(item) {
                let (a, b) = (rebuilt.count(item), held.count(item))
                lines.append("\(item.rawValue): journal \(a.count) (\(a.volume)), server \(b.count) (\(b.volume))")
            }
            if lines.isEmpty, rebuilt != held { lines.append("the daily or per short code breakdown") }
            return lines
        }
    }
}
