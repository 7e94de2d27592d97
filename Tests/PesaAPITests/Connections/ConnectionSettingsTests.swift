import NIOCore
@testable import PesaAPI
import PesaCore
import Testing

/// The connection caps' defaults come from the open-file limit, and the table admits a connection only while
/// its address and the server are under their caps.
@Suite struct ConnectionSettingsTests {
    @Test func defaultsKeepHalfTheOpenFilesForConnectionsAndAnEighthOfThemPerAddress() {
        let settings = ConnectionSettings(openFilesMax: 20_000)
        #expect(settings.connectionsMax == 10_000)
        #expect(settings.connectionsPerAddressMax == 1_250)
        #expect(settings.idleTimeoutSeconds == 60)
        #expect(settings.requestHeadTimeoutSeconds == 10)
        #expect(settings.requestBodyTimeoutSeconds == 10)
        #expect(settings.problem == nil)
        #expect(ConnectionSettings(openFilesMax: 3).connectionsPerAddressMax == 1)
        #expect(ConnectionSettings(openFilesMax: Int.max).connectionsMax == Limits.openFilesAssumedMax / 2)
    }

    @Test func settingsOutOfRangeNameTheirOption() {
        var settings = ConnectionSettings(openFilesMax: 1024)
        settings.requestHeadTimeoutSeconds = 0
        #expect(settings.problem == "--request-head-timeout-seconds must be 1 to 3600")
        settings.requestHeadTimeoutSeconds = 10
        settings.connectionsPerAddressMax = settings.connectionsMax + 1
        #expect(settings.problem == "--connections-per-address-max must be 1 to --connections-max (512)")
    }

    @Test func theTableRefusesPastEitherCapAndAdmitsAgainOnceAConnectionCloses() {
        let table = ConnectionTable(connectionsMax: 3, connectionsPerAddressMax: 2)
        #expect(table.admit("10.0.0.1") == .admitted)
        #expect(table.admit("10.0.0.1") == .admitted)
        #expect(table.admit("10.0.0.1") == .refusedPerAddress)
        #expect(table.admit("10.0.0.2") == .admitted)
        #expect(table.admit("10.0.0.3") == .refusedTotal)
        #expect(table.openCount == 3)
        #expect(table.refusedCountDue(now: .now()) == 2)
        #expect(table.refusedCountDue(now: .now()) == nil)
        table.release("10.0.0.1")
        #expect(table.admit("10.0.0.3") == .admitted)
        #expect(table.admit("10.0.0.1") == .refusedTotal)
    }
}
