import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// The billing page's usage day by day, as `GET /v1/usage/daily` reads it (`Gateway.usage`, Kenya days) for
    /// `typed` (the API's `month`; blank: the current month): a month that is not one is refused next to the
    /// month selector (`daily_month_error`), as typed.
    func dailyUsageValues(_ scope: DashboardScope, typed: String?) async throws -> [String: Any] {
        let typed = typed?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            let usage = try await gateway.usage(
                month: typed.isEmpty ? nil : typed, in: scope.organization, by: scope.actor)
            return DailyUsageView(usage).values
        } catch {
            guard let apiError = Self.formError(error), apiError.param == "month" else { throw error }
            return [
                "daily_month": typed, "daily_month_error": apiError.message, "daily_shown": false,
            ]
        }
    }
}

/// A month's usage day by day: the chart of the transactions started each day (every day of the month, none
/// left out) and the table of what was metered, a row a day that had any.
struct DailyUsageView {
    /// The table's columns: an item's count, or (with `volume`) its volume.
    static let columns: [(label: String, item: UsageItem, volume: Bool)] = [
        ("STK pushes", .stkPushes, false), ("C2B payments", .c2bPayments, false), ("Payouts", .payouts, false),
        ("Reversals", .reversals, false), ("Collections succeeded", .collectionsSucceeded, false),
        ("Collected", .collectionsSucceeded, true), ("Payouts succeeded", .payoutsSucceeded, false),
        ("Paid out", .payoutsSucceeded, true), ("Balance checks", .balanceChecks, false),
        ("Status queries", .statusQueries, false),
    ]
    /// What the chart counts: payments started, as the API's `transactions`.
    static let started: [UsageItem] = [.stkPushes, .c2bPayments, .payouts, .reversals]

    let usage: MonthUsage

    init(_ usage: MonthUsage) { self.usage = usage }

    /// Every day of the month, `YYYY-MM-DD` (Kenya time).
    var days: [String] {
        guard let range = KenyaTime.month(usage.month) else { return [] }
        let first = KenyaTime.dayIndex(ms: range.startMs)
        return (0..<KenyaTime.dayCount(of: range)).map { KenyaTime.dayKey(ms: KenyaTime.startMs(ofDay: first + $0)) }
    }

    /// The transactions started on each day of the month.
    var points: [SVGChart.Point] {
        days.map { day in
            let counts = usage.byDay[day] ?? [:]
            return SVGChart.Point(
                label: day, value: Self.started.reduce(Int64(0)) { $0 + (counts[$1]?.count ?? 0) })
        }
    }

    static func cells(_ counts: [UsageItem: UsageCount]) -> [String] {
        columns.map { column in
            let count = counts[column.item] ?? UsageCount()
            return column.volume ? DashboardFormat.kes(count.volume) : SVGChart.grouped(count.count)
        }
    }

    var chart: String {
        let any = !usage.byDay.isEmpty
        return SVGChart.bars(
            id: "chart-daily", title: "Transactions a day in \(usage.month)",
            description: "Payments started each day of \(usage.month), Kenya time: STK pushes, C2B payments, "
                + "payouts and reversals.", points: any ? points : [], unit: .count,
            emptyMessage: "Nothing metered in \(usage.month)",
            axes: SVGChart.Axes(x: "Day (Kenya time)", y: "Transactions started"))
    }

    var values: [String: Any] {
        let rows = usage.byDay.keys.sorted().map { day in
            ["date": day, "cells": Self.cells(usage.byDay[day] ?? [:])] as [String: Any]
        }
        return [
            "daily_month": usage.month, "daily_month_error": false, "daily_shown": true, "daily_chart": chart,
            "daily_columns": Self.columns.map(\.label), "daily_rows": rows, "daily_empty": rows.isEmpty,
            "daily_totals": Self.cells(usage.items),
        ]
    }
}
