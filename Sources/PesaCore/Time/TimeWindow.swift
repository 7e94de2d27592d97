/// The one rule of every time filter (`from`/`to` on payment lists and the audit log): Unix milliseconds
/// from `fromMs` inclusive to `toMs` exclusive; a nil end is open.
public enum TimeWindow {
    public static func contains(_ ms: Int64, fromMs: Int64?, toMs: Int64?) -> Bool {
        (fromMs.map { ms >= $0 } ?? true) && (toMs.map { ms < $0 } ?? true)
    }
}
