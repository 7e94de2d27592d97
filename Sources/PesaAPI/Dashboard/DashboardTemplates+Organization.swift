import Mustache

/// The templates of a user's own account. Every value is escaped.
extension DashboardTemplates {
    static let account = parse(
        """
        <h1>Your account</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p>{{email}} <span class="role">{{role}}</span></p>
        <h2>Change your password</h2>
        <p class="muted">Every other session of yours ends, and every API login token issued before; this one goes
        on.</p>
        <form method="post" action="/ui/account" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <label for="current_password">Current password</label>
        <input id="current_password" name="current_password" type="password" autocomplete="current-password" required
         {{#current_error}}aria-invalid="true" aria-describedby="current_password-error"{{/current_error}}>
        {{#current_error}}<p class="error" id="current_password-error">{{current_error}}</p>{{/current_error}}
        <label for="new_password">New password ({{password_min}} to {{password_max}} bytes)</label>
        <input id="new_password" name="new_password" type="password" autocomplete="new-password" required
         {{#new_error}}aria-invalid="true" aria-describedby="new_password-error"{{/new_error}}>
        {{#new_error}}<p class="error" id="new_password-error">{{new_error}}</p>{{/new_error}}
        <label for="confirm_password">New password again</label>
        <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required
         {{#confirm_error}}aria-invalid="true" aria-describedby="confirm_password-error"{{/confirm_error}}>
        {{#confirm_error}}<p class="error" id="confirm_password-error">{{confirm_error}}</p>{{/confirm_error}}
        <button type="submit">Change the password</button>
        </form>
        """)
}
