/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sign-in-page.c: signing in, step by step.
 *
 *   API key:   normalise address ─▶ GET people/@self ─▶ GET keys/@self (rooms:read + files:read?)
 *                                                                    └─▶ "signed-in" (key)
 *   password:  normalise address ─▶ POST authentication ─┬─ token ─▶ GET people/@self ─▶ "signed-in"
 *                                                         └─ tfa/sms ─▶ code step
 *   code step: POST authentication/{code} ─▶ token ─▶ GET people/@self ─▶ "signed-in" (token)
 *
 * Every request runs with `cancellable` (Cancel, Escape, reset and dispose cancel it) and holds
 * a reference to the page. A failure is shown under the field that caused it; no entry is ever
 * cleared by an error. The password is only sent, never kept beyond its entry; the key or token
 * leaves this page only through "signed-in". Secrets are never logged. */

#define G_LOG_DOMAIN "dsl-sign-in-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dsl-share-url.h"
#include "dsl-sign-in-page.h"

struct _DslSignInPage
{
  GtkWidget         parent_instance;

  /* template children */
  GtkScrolledWindow *scroller;
  GtkLabel          *message_label;
  GtkBox            *credentials_box;
  GtkBox            *code_box;
  GtkEntry          *portal_entry;
  GtkLabel          *portal_error_label;
  GtkToggleButton   *key_method_button;
  GtkToggleButton   *password_method_button;
  GtkBox            *key_box;
  GtkBox            *password_box;
  GtkPasswordEntry  *key_entry;
  GtkLabel          *key_error_label;
  GtkEntry          *email_entry;
  GtkPasswordEntry  *password_entry;
  GtkLabel          *password_error_label;
  GtkLabel          *code_description_label;
  GtkEntry          *code_entry;
  GtkLabel          *code_error_label;
  GtkButton         *back_button;
  GtkButton         *cancel_button;
  GtkSpinner        *spinner;
  GtkButton         *sign_in_button;
  GtkButton         *verify_button;

  /* owned */
  GCancellable      *cancellable;  /* the request in flight; NULL when idle */
  DslClient         *client;       /* the client being signed in; NULL when idle */
  char              *token;        /* session token from a login (a secret), until "signed-in" */
  char              *key;          /* the API key being checked (a secret), until "signed-in" */

  /* plain values */
  gboolean           can_cancel;
  gboolean           in_code_step;
};

G_DEFINE_FINAL_TYPE (DslSignInPage, dsl_sign_in_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PORTAL,
  PROP_USE_PASSWORD,
  PROP_CAN_CANCEL,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SIGNED_IN,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
entry_text (gpointer entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static void
wipe (char **secret)
{
  if (*secret != NULL)
    {
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

/* Forgets the secrets of the sign-in in progress (not the entries). */
static void
clear_token (DslSignInPage *self)
{
  wipe (&self->token);
  wipe (&self->key);
}

/* --- Errors --- */

static GtkLabel *
error_label_for (DslSignInPage  *self,
                 DslSignInField  field)
{
  switch (field)
    {
    case DSL_SIGN_IN_FIELD_KEY:
      return self->key_error_label;
    case DSL_SIGN_IN_FIELD_PASSWORD:
      return self->password_error_label;
    case DSL_SIGN_IN_FIELD_CODE:
      return self->code_error_label;
    case DSL_SIGN_IN_FIELD_PORTAL:
    default:
      return self->portal_error_label;
    }
}

static GtkWidget *
entry_for (DslSignInPage  *self,
           DslSignInField  field)
{
  switch (field)
    {
    case DSL_SIGN_IN_FIELD_KEY:
      return GTK_WIDGET (self->key_entry);
    case DSL_SIGN_IN_FIELD_PASSWORD:
      return GTK_WIDGET (self->password_entry);
    case DSL_SIGN_IN_FIELD_CODE:
      return GTK_WIDGET (self->code_entry);
    case DSL_SIGN_IN_FIELD_PORTAL:
    default:
      return GTK_WIDGET (self->portal_entry);
    }
}

static void
clear_errors (DslSignInPage *self)
{
  GtkLabel *labels[] = { self->portal_error_label, self->key_error_label,
                         self->password_error_label, self->code_error_label };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gtk_label_set_text (labels[i], "");
      gtk_widget_set_visible (GTK_WIDGET (labels[i]), FALSE);
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->portal_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->key_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->code_entry), "error");
}

static void
show_error (DslSignInPage  *self,
            DslSignInField  field,
            const char     *message,
            gboolean        use_markup)
{
  GtkLabel *label = error_label_for (self, field);
  GtkWidget *entry = entry_for (self, field);

  clear_errors (self);
  gtk_label_set_use_markup (label, use_markup);
  if (use_markup)
    gtk_label_set_markup (label, message);
  else
    gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  gtk_widget_add_css_class (entry, "error");
  /* Screen readers announce the field with what is wrong with it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (label), -1);
  gtk_widget_grab_focus (entry);
}

/* The confirm URL inside the core's "set up two-factor first" sentence. */
static char *
find_url (const char *message)
{
  const char *start = strstr (message, "https://");
  const char *end;

  if (start == NULL)
    start = strstr (message, "http://");
  if (start == NULL)
    return NULL;

  for (end = start; *end != '\0' && !g_ascii_isspace (*end); end++)
    ;
  /* The sentence goes on with ", then sign in again." */
  while (end > start && strchr (",.;)", end[-1]) != NULL)
    end--;

  return g_strndup (start, end - start);
}

static char *
portal_host (const char *portal)
{
  const char *sep;

  if (portal == NULL || *portal == '\0')
    return g_strdup (_("the portal"));
  sep = strstr (portal, "://");
  return g_strdup (sep != NULL ? sep + 3 : portal);
}

char *
dsl_sign_in_describe_error (const GError   *error,
                            const char     *portal,
                            gboolean        during_code,
                            DslSignInField *field,
                            gboolean       *use_markup)
{
  g_autofree char *host = portal_host (portal);
  DslSignInField where = DSL_SIGN_IN_FIELD_PORTAL;
  char *message = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (use_markup != NULL)
    *use_markup = FALSE;

  if (error->domain == G_RESOLVER_ERROR)
    {
      /* Translators: %s is a host name such as docspace.example.com */
      message = g_strdup_printf (_("Could not find %s. Check the address and your network "
                                   "connection."), host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      /* Translators: %s is a host name such as docspace.example.com */
      message = g_strdup_printf (_("%s did not answer in time. Check the address and your "
                                   "network connection, then try again."), host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    {
      /* Translators: %s is a host name such as docspace.example.com */
      message = g_strdup_printf (_("Could not connect to %s: the host cannot be reached. Check "
                                   "the address (and port) and your network connection."), host);
    }
  else if (error->domain == G_TLS_ERROR ||
           (error->domain == G_IO_ERROR && strstr (error->message, "certificate") != NULL))
    {
      /* Translators: %s is a host name such as docspace.example.com */
      message = g_strdup_printf (_("The secure connection to %s failed: its certificate is not "
                                   "valid or not trusted. Check the address, or ask the portal's "
                                   "administrator."), host);
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE) ||
           g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_FOUND) ||
           (g_error_matches (error, DSL_ERROR, DSL_ERROR_SERVER) &&
            (dsl_error_get_status (error) == 405 || dsl_error_get_status (error) == 501)))
    {
      /* Translators: %s is a host name such as docspace.example.com */
      message = g_strdup_printf (_("%s does not look like an ONLYOFFICE DocSpace portal. Check "
                                   "the address."), host);
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT))
    {
      message = g_strdup (error->message);
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED))
    {
      where = DSL_SIGN_IN_FIELD_KEY;
      message = g_strdup (_("The portal did not accept this API key: it is wrong, expired or "
                            "revoked. Check that it is complete, or create a new key in "
                            "DocSpace under Settings → Developer Tools."));
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE))
    {
      where = DSL_SIGN_IN_FIELD_KEY;
      message = g_strdup (_("This API key lacks the permissions DocSpace Links needs. Use a key "
                            "with “rooms:read”, “files:read” and “accounts.self:read” (or "
                            "“*:read”), or a key with full access."));
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LOGIN_FAILED))
    {
      where = during_code ? DSL_SIGN_IN_FIELD_CODE : DSL_SIGN_IN_FIELD_PASSWORD;
      message = g_strdup (during_code
                          ? _("This code is wrong or has expired. Enter the current code from "
                              "your authenticator app.")
                          : _("The email address or the password is wrong."));
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_TOO_MANY_ATTEMPTS))
    {
      where = during_code ? DSL_SIGN_IN_FIELD_CODE : DSL_SIGN_IN_FIELD_PASSWORD;
      message = g_strdup (_("Too many failed sign-in attempts. Wait a while before trying again, "
                            "or sign in once in a web browser."));
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_TFA_SETUP_REQUIRED))
    {
      g_autofree char *url = find_url (error->message);

      where = DSL_SIGN_IN_FIELD_PASSWORD;
      /* A clickable link only to the portal's own https origin (issue 14): another host's or
       * scheme's address is shown as text. */
      if (url != NULL && use_markup != NULL && dsl_share_url_may_open (url, portal, NULL))
        {
          g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", url, url);
          g_autofree char *text = g_markup_escape_text (
            _("This account must set up two-factor authentication first. Finish the setup in a "
              "web browser, then sign in again:"), -1);

          message = g_strdup_printf ("%s %s", text, link);
          *use_markup = TRUE;
        }
      else if (url != NULL)
        {
          message = g_strdup_printf ("%s %s",
                                     _("This account must set up two-factor authentication "
                                       "first. Finish the setup in a web browser, then sign in "
                                       "again:"), url);
        }
      else
        {
          message = g_strdup (error->message);
        }
    }
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_ACCOUNT_DISABLED))
    {
      where = DSL_SIGN_IN_FIELD_PASSWORD;
      message = g_strdup (_("This account is disabled. Ask the portal's administrator."));
    }
  else
    {
      message = g_strdup (error->message);
    }

  if (field != NULL)
    *field = where;
  return message;
}

/* --- State --- */

static gboolean
is_busy (DslSignInPage *self)
{
  return self->cancellable != NULL;
}

static void
update_default_widget (DslSignInPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!GTK_IS_WINDOW (root) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  gtk_window_set_default_widget (GTK_WINDOW (root),
                                 self->in_code_step
                                 ? GTK_WIDGET (self->verify_button)
                                 : GTK_WIDGET (self->sign_in_button));
}

static void
update_actions (DslSignInPage *self)
{
  gboolean busy = is_busy (self);
  gboolean use_password = gtk_toggle_button_get_active (self->password_method_button);
  gboolean filled = !is_blank (entry_text (self->portal_entry)) &&
                    (use_password
                     ? !is_blank (entry_text (self->email_entry)) &&
                       *entry_text (self->password_entry) != '\0'
                     : !is_blank (entry_text (self->key_entry)));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in",
                                 !busy && !self->in_code_step && filled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.verify",
                                 !busy && self->in_code_step &&
                                 !is_blank (entry_text (self->code_entry)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.back",
                                 !busy && self->in_code_step);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.cancel",
                                 busy || self->can_cancel);

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), !self->in_code_step);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_button), self->in_code_step);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->in_code_step && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy || self->can_cancel);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
set_busy (DslSignInPage *self,
          gboolean       busy)
{
  if (busy == is_busy (self))
    return;

  if (busy)
    {
      self->cancellable = g_cancellable_new ();
    }
  else
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_step (DslSignInPage *self,
           gboolean       code_step)
{
  self->in_code_step = code_step;
  /* Hidden rather than a GtkStack page: GTK 4.8 keeps hidden stack pages in the
   * accessibility tree, where a screen reader would read them. */
  gtk_widget_set_visible (GTK_WIDGET (self->credentials_box), !code_step);
  gtk_widget_set_visible (GTK_WIDGET (self->code_box), code_step);
  update_actions (self);
  update_default_widget (self);
}

/* Back to idle after a failure: the message under its field, everything typed kept. */
static void
fail (DslSignInPage *self,
      const GError  *error)
{
  DslSignInField field;
  gboolean use_markup = FALSE;
  g_autofree char *message = NULL;

  g_debug ("Signing in failed: %s", error->message);
  message = dsl_sign_in_describe_error (error, self->client != NULL
                                               ? dsl_client_get_base_url (self->client) : NULL,
                                        self->in_code_step, &field, &use_markup);

  set_busy (self, FALSE);
  clear_token (self);
  if (!self->in_code_step || field != DSL_SIGN_IN_FIELD_CODE)
    {
      /* Only a wrong code keeps the code step; anything else needs the first step's fields. */
      g_clear_object (&self->client);
      show_step (self, FALSE);
      if (field == DSL_SIGN_IN_FIELD_PASSWORD)
        gtk_toggle_button_set_active (self->password_method_button, TRUE);
    }
  show_error (self, field, message, use_markup);
}

static void
succeed (DslSignInPage *self,
         DslUser       *user)
{
  g_autoptr(DslClient) client = g_steal_pointer (&self->client);
  g_autofree char *secret = NULL;

  /* What was checked, not what the entry holds now. */
  if (self->token != NULL)
    secret = g_steal_pointer (&self->token);
  else
    secret = g_steal_pointer (&self->key);
  clear_token (self);

  set_busy (self, FALSE);
  /* The address as it will be used from now on. */
  gtk_editable_set_text (GTK_EDITABLE (self->portal_entry), dsl_client_get_base_url (client));

  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, client, user, secret);

  memset (secret, 0, strlen (secret));
}

/* --- Requests --- */

static void
key_info_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(GTask) task = G_TASK (user_data);
  DslSignInPage *self = g_task_get_source_object (task);
  DslUser *user = g_task_get_task_data (task);
  g_autoptr(DslKeyInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = dsl_client_get_key_info_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
    return;

  if (info == NULL)
    {
      fail (self, error);
      return;
    }

  if (!dsl_key_info_has_scope (info, "rooms:read") || !dsl_key_info_has_scope (info, "files:read"))
    {
      g_autoptr(GError) scope = g_error_new_literal (DSL_ERROR, DSL_ERROR_MISSING_SCOPE, "");

      fail (self, scope);
      return;
    }

  succeed (self, user);
}

static void
get_self_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslSignInPage) self = DSL_SIGN_IN_PAGE (user_data);
  g_autoptr(DslUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = dsl_client_get_self_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
    return;

  if (user == NULL)
    {
      fail (self, error);
      return;
    }

  if (self->token == NULL)
    {
      /* An API key: it must also reach rooms and files, which people/@self does not prove. */
      GTask *task = g_task_new (self, NULL, NULL, NULL);

      g_task_set_task_data (task, g_steal_pointer (&user), g_object_unref);
      dsl_client_get_key_info_async (client, self->cancellable, key_info_cb, task);
      return;
    }

  succeed (self, user);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslSignInPage) self = DSL_SIGN_IN_PAGE (user_data);
  g_autoptr(DslAuthResult) auth = NULL;
  g_autoptr(GError) error = NULL;

  auth = dsl_client_login_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
    return;

  if (auth == NULL)
    {
      fail (self, error);
      return;
    }

  if (auth->token == NULL)
    {
      g_autofree char *description = NULL;

      if (!dsl_auth_result_needs_code (auth))
        {
          g_autoptr(GError) invalid = g_error_new_literal (DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                                                          "no token and no two-factor step");

          fail (self, invalid);
          return;
        }

      if (auth->sms && auth->phone_noise != NULL)
        /* Translators: %s is a masked phone number such as +7 (***) ***-**-12 */
        description = g_strdup_printf (_("Enter the code sent by SMS to %s."), auth->phone_noise);
      else if (auth->sms)
        description = g_strdup (_("Enter the code sent to you by SMS."));
      else
        description = g_strdup (_("This account uses two-factor authentication. Enter the "
                                  "six-digit code from your authenticator app."));
      gtk_label_set_text (self->code_description_label, description);

      set_busy (self, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
      clear_errors (self);
      show_step (self, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
      return;
    }

  clear_token (self);
  self->token = g_strdup (auth->token);
  dsl_client_get_self_async (client, self->cancellable, get_self_cb, g_object_ref (self));
}

static void
start_login (DslSignInPage *self,
             const char    *code)
{
  g_autofree char *email = g_strstrip (g_strdup (entry_text (self->email_entry)));

  dsl_client_login_async (self->client, email, entry_text (self->password_entry), code,
                          self->cancellable, login_cb, g_object_ref (self));
}

/* --- Actions --- */

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (widget);
  g_autofree char *base_url = NULL;
  g_autoptr(GError) error = NULL;

  if (is_busy (self) || self->in_code_step)
    return;

  clear_errors (self);
  clear_token (self);
  g_clear_object (&self->client);

  base_url = dsl_client_normalize_url (entry_text (self->portal_entry), &error);
  if (base_url == NULL)
    {
      show_error (self, DSL_SIGN_IN_FIELD_PORTAL, error->message, FALSE);
      return;
    }

  self->client = dsl_client_new (base_url);
  set_busy (self, TRUE);

  if (gtk_toggle_button_get_active (self->password_method_button))
    {
      start_login (self, NULL);
    }
  else
    {
      /* A key pasted with a trailing newline is still the same key. */
      self->key = g_strstrip (g_strdup (entry_text (self->key_entry)));
      dsl_client_set_api_key (self->client, self->key);
      dsl_client_get_self_async (self->client, self->cancellable, get_self_cb,
                                 g_object_ref (self));
    }
}

static void
verify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (widget);
  g_autofree char *code = NULL;

  if (is_busy (self) || !self->in_code_step || self->client == NULL)
    return;

  /* "123 456" as some apps show it is the same code. */
  code = g_strdup (entry_text (self->code_entry));
  {
    char *out = code;

    for (const char *in = code; *in != '\0'; in++)
      if (!g_ascii_isspace (*in))
        *out++ = *in;
    *out = '\0';
  }

  clear_errors (self);
  set_busy (self, TRUE);
  start_login (self, code);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (widget);

  set_busy (self, FALSE);
  g_clear_object (&self->client);
  clear_errors (self);
  show_step (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (widget);

  if (is_busy (self))
    {
      /* Stop waiting; the form is as it was. */
      set_busy (self, FALSE);
      if (!self->in_code_step)
        g_clear_object (&self->client);
      clear_token (self);
      dsl_sign_in_page_focus (self);
      return;
    }

  if (self->can_cancel)
    g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

/* --- Template callbacks --- */

static void
on_entry_changed (DslSignInPage *self)
{
  update_actions (self);
}

static void
on_portal_activate (DslSignInPage *self)
{
  /* Enter in the address field moves on, as a person fills the form top down. */
  if (gtk_toggle_button_get_active (self->password_method_button))
    gtk_widget_grab_focus (GTK_WIDGET (self->email_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}

static void
on_email_activate (DslSignInPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

static void
on_method_toggled (DslSignInPage *self)
{
  gboolean use_password = gtk_toggle_button_get_active (self->password_method_button);

  gtk_widget_set_visible (GTK_WIDGET (self->key_box), !use_password);
  gtk_widget_set_visible (GTK_WIDGET (self->password_box), use_password);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_PASSWORD]);
}

/* --- Public --- */

GtkWidget *
dsl_sign_in_page_new (void)
{
  return g_object_new (DSL_TYPE_SIGN_IN_PAGE, NULL);
}

const char *
dsl_sign_in_page_get_portal (DslSignInPage *self)
{
  g_return_val_if_fail (DSL_IS_SIGN_IN_PAGE (self), NULL);

  return entry_text (self->portal_entry);
}

void
dsl_sign_in_page_set_portal (DslSignInPage *self,
                             const char    *portal)
{
  g_return_if_fail (DSL_IS_SIGN_IN_PAGE (self));

  if (g_strcmp0 (portal, entry_text (self->portal_entry)) == 0)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->portal_entry), portal != NULL ? portal : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL]);
}

gboolean
dsl_sign_in_page_get_use_password (DslSignInPage *self)
{
  g_return_val_if_fail (DSL_IS_SIGN_IN_PAGE (self), FALSE);

  return gtk_toggle_button_get_active (self->password_method_button);
}

void
dsl_sign_in_page_set_use_password (DslSignInPage *self,
                                   gboolean       use_password)
{
  g_return_if_fail (DSL_IS_SIGN_IN_PAGE (self));

  /* The toggled handler notifies. */
  gtk_toggle_button_set_active (use_password ? self->password_method_button
                                             : self->key_method_button, TRUE);
}

gboolean
dsl_sign_in_page_get_can_cancel (DslSignInPage *self)
{
  g_return_val_if_fail (DSL_IS_SIGN_IN_PAGE (self), FALSE);

  return self->can_cancel;
}

void
dsl_sign_in_page_set_can_cancel (DslSignInPage *self,
                                 gboolean       can_cancel)
{
  g_return_if_fail (DSL_IS_SIGN_IN_PAGE (self));

  can_cancel = !!can_cancel;
  if (self->can_cancel == can_cancel)
    return;
  self->can_cancel = can_cancel;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_CANCEL]);
}

gboolean
dsl_sign_in_page_get_busy (DslSignInPage *self)
{
  g_return_val_if_fail (DSL_IS_SIGN_IN_PAGE (self), FALSE);

  return is_busy (self);
}

void
dsl_sign_in_page_set_message (DslSignInPage *self,
                              const char    *message)
{
  g_return_if_fail (DSL_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && *message != '\0');
}

void
dsl_sign_in_page_reset (DslSignInPage *self)
{
  g_return_if_fail (DSL_IS_SIGN_IN_PAGE (self));

  set_busy (self, FALSE);
  g_clear_object (&self->client);
  clear_token (self);
  gtk_editable_set_text (GTK_EDITABLE (self->key_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  clear_errors (self);
  show_step (self, FALSE);
}

void
dsl_sign_in_page_focus (DslSignInPage *self)
{
  GtkWidget *target;

  g_return_if_fail (DSL_IS_SIGN_IN_PAGE (self));

  if (self->in_code_step)
    target = GTK_WIDGET (self->code_entry);
  else if (is_blank (entry_text (self->portal_entry)))
    target = GTK_WIDGET (self->portal_entry);
  else if (!gtk_toggle_button_get_active (self->password_method_button))
    target = GTK_WIDGET (self->key_entry);
  else if (is_blank (entry_text (self->email_entry)))
    target = GTK_WIDGET (self->email_entry);
  else
    target = GTK_WIDGET (self->password_entry);

  gtk_widget_grab_focus (target);
}

/* --- GObject --- */

static void
dsl_sign_in_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dsl_sign_in_page_parent_class)->map (widget);
  update_default_widget (DSL_SIGN_IN_PAGE (widget));
}

static void
dsl_sign_in_page_unmap (GtkWidget *widget)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  /* Enter elsewhere in the window must not press a hidden Sign In. */
  if (GTK_IS_WINDOW (root))
    {
      GtkWidget *current = gtk_window_get_default_widget (GTK_WINDOW (root));

      if (current == GTK_WIDGET (self->sign_in_button) ||
          current == GTK_WIDGET (self->verify_button))
        gtk_window_set_default_widget (GTK_WINDOW (root), NULL);
    }

  GTK_WIDGET_CLASS (dsl_sign_in_page_parent_class)->unmap (widget);
}

static void
dsl_sign_in_page_dispose (GObject *object)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  g_clear_object (&self->client);
  clear_token (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_SIGN_IN_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dsl_sign_in_page_parent_class)->dispose (object);
}

static void
dsl_sign_in_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_PORTAL:
      g_value_set_string (value, dsl_sign_in_page_get_portal (self));
      break;
    case PROP_USE_PASSWORD:
      g_value_set_boolean (value, dsl_sign_in_page_get_use_password (self));
      break;
    case PROP_CAN_CANCEL:
      g_value_set_boolean (value, self->can_cancel);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_sign_in_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DslSignInPage *self = DSL_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_PORTAL:
      dsl_sign_in_page_set_portal (self, g_value_get_string (value));
      break;
    case PROP_USE_PASSWORD:
      dsl_sign_in_page_set_use_password (self, g_value_get_boolean (value));
      break;
    case PROP_CAN_CANCEL:
      dsl_sign_in_page_set_can_cancel (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_sign_in_page_class_init (DslSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_sign_in_page_dispose;
  object_class->get_property = dsl_sign_in_page_get_property;
  object_class->set_property = dsl_sign_in_page_set_property;
  widget_class->map = dsl_sign_in_page_map;
  widget_class->unmap = dsl_sign_in_page_unmap;

  properties[PROP_PORTAL] =
    g_param_spec_string ("portal", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USE_PASSWORD] =
    g_param_spec_boolean ("use-password", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_CANCEL] =
    g_param_spec_boolean ("can-cancel", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  DSL_TYPE_CLIENT, DSL_TYPE_USER, G_TYPE_STRING);
  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, credentials_box);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, code_box);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, portal_entry);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, portal_error_label);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, key_method_button);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, password_method_button);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, key_box);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, password_box);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, key_entry);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, key_error_label);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, email_entry);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, password_error_label);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, code_description_label);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, code_error_label);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, DslSignInPage, verify_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_portal_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_email_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_method_toggled);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "sign-in.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "sign-in.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "sign-in.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dsl_sign_in_page_init (DslSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}
