"""The first-run wizard: create the platform CA, or import an existing one (seed §2.1 step 1, §3).

The subject fields show examples as placeholders, never as values (C and O bind
every device CSR); RSA-4096 is the default key, EC P-384 the fast
alternative. Key generation and the slow passphrase KDF run in a worker while
the page shows a busy indicator. Everything is checked and stored by the core
(``ca.build_subject``, ``ca.create``, ``ca.import_existing``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from zmconsole.core import ca, operators, passphrase, settings
from zmconsole.core.errors import InputError, ZmError
from zmconsole.gui.dialogs.first_admin import FirstAdminBox
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, busy_bar

CHOICE, SUBJECT, PASSPHRASE, IMPORT, WORK = range(5)



class ChoicePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Set up the platform CA"))
        self.setSubTitle(self.tr("Every monitor's certificate is signed by this CA. It is created once and its "
                                 "key is kept encrypted under a passphrase."))
        self.create_choice = QRadioButton(self.tr("&Create a new CA on this console"), self)
        self.create_choice.setObjectName("choiceCreate")
        self.import_choice = QRadioButton(self.tr("&Import an existing CA (certificate and encrypted key files)"), self)
        self.import_choice.setObjectName("choiceImport")
        self.create_choice.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.create_choice)
        layout.addWidget(self.import_choice)

    def nextId(self) -> int:
        return SUBJECT if self.create_choice.isChecked() else IMPORT


class SubjectPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The CA's name, key and lifetime"))
        self.setSubTitle(self.tr("Device certificates must carry the same country (C) and organisation (O)."))
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        labels = {"country": self.tr("&Country (C, two letters):"), "state": self.tr("&State (ST):"),
                  "org": self.tr("&Organisation (O):"), "ou": self.tr("Organisational &unit (OU):"),
                  "cn": self.tr("Common &name (CN):")}
        # Examples, shown as placeholders only: a pre-filled value would bind every device CSR (C and O must match).
        examples = {"country": self.tr("e.g. US"), "state": self.tr("e.g. Ontario"),
                    "org": self.tr("e.g. St Mary's Hospital"), "ou": self.tr("e.g. Clinical Engineering"),
                    "cn": self.tr("e.g. St Mary's Z Monitor CA")}
        for key, label in labels.items():
            edit = QLineEdit(self)
            edit.setPlaceholderText(examples[key])
            edit.setObjectName(f"subject-{key}")
            accessible(edit, label.replace("&", "").rstrip(":"))
            self.fields[key] = edit
            form.addRow(label, edit)
        self.key_type = QComboBox(self)
        self.key_type.setObjectName("caKeyType")
        self.key_type.addItem(self.tr("RSA 4096 (default; key generation takes a few seconds)"), "rsa4096")
        self.key_type.addItem(self.tr("EC P-384 (fast; every current TLS stack accepts it)"), "ec-p384")
        accessible(self.key_type, self.tr("CA key type"))
        form.addRow(self.tr("&Key type:"), self.key_type)
        self.days = QSpinBox(self)
        self.days.setObjectName("caDays")
        self.days.setRange(1, 36500)
        self.days.setValue(3650)
        accessible(self.days, self.tr("CA validity in days"))
        form.addRow(self.tr("&Validity (days):"), self.days)
        self.dns_domain = QLineEdit(self)
        self.dns_domain.setObjectName("deviceDnsDomain")
        self.dns_domain.setPlaceholderText(self.tr("e.g. devices.stmarys.example"))
        accessible(self.dns_domain, self.tr("Device DNS domain"),
                   self.tr("Each device certificate names the device as <id>.<this domain>."))
        form.addRow(self.tr("Device &DNS domain:"), self.dns_domain)
        self.message = Banner(self)
        form.addRow(self.message)

    def subject(self) -> object:
        values = {key: edit.text().strip() for key, edit in self.fields.items()}
        return ca.build_subject(cn=values["cn"], org=values["org"], ou=values["ou"] or None,
                                country=values["country"] or None, state=values["state"] or None)

    def domain_settings(self, current: settings.Settings) -> settings.Settings:
        """The settings with the device DNS domain asked here (checked by the core)."""
        domain = self.dns_domain.text().strip()
        if not domain:
            raise InputError(self.tr("Enter the device DNS domain: device certificates name the device as "
                                     "<id>.<domain>, for example zm-002.devices.stmarys.example."))
        return settings.validate(current, device_dns_domain=domain)

    def validatePage(self) -> bool:
        try:
            self.subject()
            wizard = self.wizard()
            if isinstance(wizard, FirstRunWizard):
                self.domain_settings(wizard.session.settings)
        except ZmError as error:
            self.message.show_message(Kind.ERROR, str(error))
            return False
        self.message.clear()
        return True

    def nextId(self) -> int:
        return PASSPHRASE


class PassphrasePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The CA passphrase"))
        self.setSubTitle(self.tr("It encrypts the CA key and is asked once per session. It cannot be recovered: "
                                 "keep it in the hospital's password safe."))
        self.first = QLineEdit(self)
        self.first.setObjectName("passphrase1")
        self.second = QLineEdit(self)
        self.second.setObjectName("passphrase2")
        for edit, name in ((self.first, self.tr("Passphrase")), (self.second, self.tr("Passphrase again"))):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            accessible(edit, name)
            edit.textChanged.connect(self._changed)
        self.meter = QProgressBar(self)
        self.meter.setObjectName("strengthMeter")
        self.meter.setRange(0, passphrase.STRONG)
        self.meter.setTextVisible(False)
        accessible(self.meter, self.tr("Passphrase strength"))
        self.hint = QLabel(self)
        self.hint.setObjectName("strengthHint")
        self.hint.setWordWrap(True)
        self.match = QLabel(self)
        self.match.setObjectName("matchHint")
        form = QFormLayout(self)
        form.addRow(self.tr("&Passphrase:"), self.first)
        form.addRow(self.tr("&Again:"), self.second)
        form.addRow(self.tr("Strength:"), self.meter)
        form.addRow("", self.hint)
        form.addRow("", self.match)
        self.admin = FirstAdminBox(self)
        self.admin.changed.connect(self.completeChanged.emit)
        form.addRow(self.admin)
        self._changed()

    def _changed(self) -> None:
        text = self.first.text()
        score = passphrase.strength(text)
        words = {
            passphrase.TOO_SHORT: arg(self.tr("Too short: use at least %1 characters, ideally a phrase of several "
                                              "words."), passphrase.MIN_PASSPHRASE),
            passphrase.WEAK: self.tr("Weak: easy to guess. Use a phrase of several unrelated words."),
            passphrase.FAIR: self.tr("Fair: longer is better, for example four or five words."),
            passphrase.GOOD: self.tr("Good."),
            passphrase.STRONG: self.tr("Strong."),
        }
        self.meter.setValue(score)
        hint = words[score]
        self.hint.setText(hint)
        self.meter.setAccessibleDescription(hint)
        if self.second.text():
            self.match.setText(self.tr("✓ The two passphrases match.") if self.second.text() == text
                               else self.tr("✗ The two passphrases differ."))
        else:
            self.match.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        text = self.first.text()
        return (passphrase.strength(text) > passphrase.TOO_SHORT and text == self.second.text()
                and not self.admin.problem())

    def nextId(self) -> int:
        return WORK


class ImportPage(QWizardPage):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Import an existing CA"))
        self.setSubTitle(self.tr("Give its certificate (PEM or DER) and its key file, encrypted with a passphrase "
                                 "(for example openssl genrsa -aes256). The key is re-encrypted in the store."))
        self.cert = QLineEdit(self)
        self.cert.setObjectName("importCert")
        self.key = QLineEdit(self)
        self.key.setObjectName("importKey")
        self.secret = QLineEdit(self)
        self.secret.setObjectName("importPassphrase")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        accessible(self.cert, self.tr("CA certificate file"))
        accessible(self.key, self.tr("CA key file"))
        accessible(self.secret, self.tr("Passphrase of the key file"))
        form = QFormLayout(self)
        for edit, label, title, filters in (
            (self.cert, self.tr("&Certificate:"), self.tr("Choose the CA certificate"),
             self.tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)")),
            (self.key, self.tr("&Key:"), self.tr("Choose the encrypted CA key"),
             self.tr("Keys (*.pem *.key);;All files (*)")),
        ):
            browse = QPushButton(self.tr("Browse…"), self)
            accessible(browse, title)
            browse.clicked.connect(lambda _c=False, e=edit, t=title, f=filters: self._choose(e, t, f))
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(browse)
            form.addRow(label, row)
            edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        form.addRow(self.tr("&Passphrase:"), self.secret)
        self.secret.textChanged.connect(lambda _text: self.completeChanged.emit())
        self.admin = FirstAdminBox(self)
        self.admin.changed.connect(self.completeChanged.emit)
        form.addRow(self.admin)

    def _choose(self, edit: QLineEdit, title: str, filters: str) -> None:
        path = self.session.files.open_file(self, title, filters)
        if path is not None:
            edit.setText(str(path))

    def isComplete(self) -> bool:
        return bool(self.cert.text() and self.key.text() and self.secret.text()) and not self.admin.problem()

    def nextId(self) -> int:
        return WORK


class WorkPage(QWizardPage):
    """Creates or imports the CA in a worker, then shows what was set up."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(self.tr("Setting up the CA"))
        self.status = QLabel(self)
        self.status.setObjectName("workStatus")
        self.status.setWordWrap(True)
        self.busy = busy_bar(self)
        self.busy.setObjectName("workBusy")
        self.message = Banner(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("workSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.owner
        if wizard.unlocked is not None:
            return  # already done; going back and forth must not try again
        self.message.clear()
        self.summary.clear()
        session = wizard.session
        store, now = session.store, session.now()
        creating = wizard.choice.create_choice.isChecked()
        admin = (wizard.passphrase_page if creating else wizard.import_page).admin.wanted()

        def with_admin(unlocked: ca.UnlockedCa) -> ca.UnlockedCa:
            if admin is not None:  # signs them in: the console acts as this admin from now on
                operators.create_first_admin(store, unlocked, *admin, now=now)
            return unlocked

        if creating:
            subject = wizard.subject_page.subject()
            key_type = wizard.subject_page.key_type.currentData()
            days = wizard.subject_page.days.value()
            secret = wizard.passphrase_page.first.text()
            self.status.setText(arg(self.tr("Generating the %1 key and the self-signed certificate…"),
                                    wizard.subject_page.key_type.currentText()))

            def work(_job: object) -> ca.UnlockedCa:
                made = ca.create(store, subject=subject, passphrase=secret, key_type=key_type,  # type: ignore[arg-type]
                                 days=days, now=now)
                return with_admin(made)
        else:
            cert_path, key_path = Path(wizard.import_page.cert.text()), Path(wizard.import_page.key.text())
            secret = wizard.import_page.secret.text()
            self.status.setText(self.tr("Checking and importing the CA…"))
            unreadable = self.tr("Cannot read %1 (%2): check the path.")

            def work(_job: object) -> ca.UnlockedCa:
                try:
                    cert_pem, key_pem = cert_path.read_bytes(), key_path.read_bytes()
                except OSError as error:
                    raise InputError(arg(unreadable, error.filename, error.strerror)) from error
                return with_admin(ca.import_existing(store, cert_pem=cert_pem, key_pem=key_pem, passphrase=secret,
                                                     now=now))

        self.setTitle(self.tr("Setting up the CA…"))
        wizard.setButtonLayout([QWizard.WizardButton.Stretch])  # nothing to press while it works
        self.busy.show()
        session.tasks.start(work, done=self._done, failed=self._failed, owner=self)

    def cleanupPage(self) -> None:
        """Back (after a failure): the usual buttons again."""
        self.owner.setButtonLayout(DEFAULT_BUTTONS)
        super().cleanupPage()

    def _done(self, unlocked: ca.UnlockedCa) -> None:
        self.busy.hide()
        self.owner.unlocked = unlocked
        info = unlocked.info
        self.status.setText(self.tr("The platform CA is ready."))
        self.summary.setText(arg(self.tr(
            "Subject: %1\nKey: %2\nValid until: %3 UTC\nSHA-256 fingerprint: %4\n\nThe CA certificate is in %5; "
            "back up the data folder (it holds the encrypted key) and keep the passphrase safe."),
            info.subject, info.key_type, f"{info.not_after:%Y-%m-%d}", info.fingerprint,
            self.owner.session.home / ca.CA_CERT_FILE))
        self.owner.session.set_unlocked(unlocked)
        operator = self.owner.session.store.operator
        if operator is not None:
            self.owner.session.signed_in(operator)
            self.summary.setText(self.summary.text() + "\n\n" + arg(self.tr(
                "You are signed in as %1 (admin). Add the other operators with CA > Operators…; from now on "
                "everyone signs in."), operator.name))
        if self.owner.choice.create_choice.isChecked():
            try:
                session = self.owner.session
                session.save_settings(self.owner.subject_page.domain_settings(session.settings))
            except ZmError as error:
                self.message.show_message(Kind.ERROR, self.owner.session.errors.message(error))
        self.setTitle(self.tr("The CA is ready"))
        self.owner.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton])
        self.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.setTitle(self.tr("The CA was not set up"))
        self.owner.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton,
                                    QWizard.WizardButton.CancelButton])
        self.status.setText(self.tr("The CA was not set up."))
        if isinstance(error, ZmError):
            self.message.show_message(Kind.ERROR, self.owner.session.errors.message(error) + " " +
                                      self.tr("Go back to change it."))
        else:
            self.owner.session.errors.show(self, error)

    def isComplete(self) -> bool:
        return self.owner.unlocked is not None


DEFAULT_BUTTONS = [QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                   QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton]


class FirstRunWizard(QWizard):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.unlocked: ca.UnlockedCa | None = None
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("Set up the platform CA"))
        self.setWindowIcon(icon("key"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.choice = ChoicePage(self)
        self.subject_page = SubjectPage(self)
        self.passphrase_page = PassphrasePage(self)
        self.import_page = ImportPage(session, self)
        self.work_page = WorkPage(self)
        self.setPage(CHOICE, self.choice)
        self.setPage(SUBJECT, self.subject_page)
        self.setPage(PASSPHRASE, self.passphrase_page)
        self.setPage(IMPORT, self.import_page)
        self.setPage(WORK, self.work_page)
        self.resize(640, 520)
