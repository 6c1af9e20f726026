<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="43"/>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="44"/>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="45"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="46"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="47"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="48"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="27"/>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="28"/>
        <source>The CA (created, imported, wrong passphrases)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="29"/>
        <source>Certificates (issued, renewed, revoked, exported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="30"/>
        <source>CRLs (signed, published)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="31"/>
        <source>Keys (delivered, exported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="32"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="33"/>
        <source>Audit (exports)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="44"/>
        <source>Search action, subject, user or details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="45"/>
        <source>Search the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="50"/>
        <source>Show actions of kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="56"/>
        <source>&amp;Verify integrity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="57"/>
        <source>&amp;Export as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="63"/>
        <source>Audit log entries, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="67"/>
        <source>%1 entries shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="103"/>
        <source>The audit chain is intact: %1 entries, none changed, deleted or reordered. Head hash %2 — copy it somewhere outside this computer to anchor the chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="109"/>
        <source>The audit chain is broken (%1 problems). Treat the store as tampered with and restore it from a backup:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="113"/>
        <source>Export the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="114"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="124"/>
        <source>%1 audit entries written to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BulkDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="51"/>
        <source>Bulk issue from CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="63"/>
        <source>The CSV file needs a header row with device_id, and optionally ward and location. Each good row gets a key generated here and a certificate; the files are written to the output folder, every key encrypted with the password below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="69"/>
        <source>Type a path and press Enter, or choose the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="72"/>
        <source>CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="73"/>
        <source>Choose &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="81"/>
        <source>Type a folder, or choose it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="83"/>
        <source>Output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="84"/>
        <source>Choose &amp;folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="91"/>
        <source>Key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="94"/>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="239"/>
        <source>Password for the key files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="95"/>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="240"/>
        <source>Write it down: it opens every key file written by this run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="99"/>
        <source>Validity in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="107"/>
        <source>CSV file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="109"/>
        <source>Output folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="110"/>
        <source>Key &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="111"/>
        <source>Key file &amp;password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="112"/>
        <source>&amp;Validity (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="115"/>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="129"/>
        <source>Choose the CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="129"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="144"/>
        <source>Reading the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="151"/>
        <source>%1 to issue; %2 refused already (shown in the summary).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="156"/>
        <source>1 row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="156"/>
        <source>%1 rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="278"/>
        <source>delivered now (issued by an earlier run), serial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="280"/>
        <source>already delivered by an earlier run, serial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="289"/>
        <source>1 certificate issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="290"/>
        <source>%1 certificates issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="291"/>
        <source>%1 into %2; %3 refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="164"/>
        <source>Choose the folder for the certificates and keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="178"/>
        <source>Bulk issuance progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="180"/>
        <source>&amp;Cancel after this row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="184"/>
        <source>Issuing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="197"/>
        <source>Signing certificates needs the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="217"/>
        <source>%1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="223"/>
        <source>Cancelling after the current row…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="242"/>
        <source>Key file password (write it down):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="244"/>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="245"/>
        <source>Device ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="246"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="248"/>
        <source>Issued and refused rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="270"/>
        <source>Line %1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="275"/>
        <source>issued, serial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="277"/>
        <source>refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="294"/>
        <source>Cancelled: the remaining rows were not issued.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Certificate</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="36"/>
        <source>TLS client authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="37"/>
        <source>TLS server authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="44"/>
        <source>digital signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="45"/>
        <source>key encipherment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="46"/>
        <source>key agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="47"/>
        <source>certificate signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="48"/>
        <source>CRL signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="58"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="59"/>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="60"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="61"/>
        <source>Valid from (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="62"/>
        <source>Valid until (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="63"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="64"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="64"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="65"/>
        <source>generated on this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="66"/>
        <source>from the device&apos;s CSR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="67"/>
        <source>Alternative names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="68"/>
        <source>Key usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="69"/>
        <source>Extended key usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="70"/>
        <source>CRL distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="71"/>
        <source>Authority information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="72"/>
        <source>SHA-256 fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChoicePage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="45"/>
        <source>Set up the platform CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="46"/>
        <source>Every monitor&apos;s certificate is signed by this CA. It is created once and its key is kept encrypted under a passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="48"/>
        <source>&amp;Create a new CA on this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="50"/>
        <source>&amp;Import an existing CA (certificate and encrypted key files)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="107"/>
        <source>Cannot read the passphrase file %1 (%2): check the path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="124"/>
        <source>Z Monitor Console</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="104"/>
        <source>Expiries per week, next 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="109"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="110"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="111"/>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="112"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="113"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="114"/>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="115"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="116"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="120"/>
        <source>Certificates that need action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="126"/>
        <source>Need action (crossed an alert threshold), soonest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="127"/>
        <source>Nothing needs action: no certificate has crossed an alert threshold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="138"/>
        <source>Certificates renewing automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="141"/>
        <source>Renewing automatically (needs action only once overdue or failed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="147"/>
        <source>Export report as &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="148"/>
        <source>Export report as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="205"/>
        <source>Root CA %1 (SHA-256 %2…): it signs issuing CAs only; devices and servers are issued in an issuing CA&apos;s store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="208"/>
        <source>Issuing CA %1, under the root %2. Devices pin the root (SHA-256 %3…), so a new issuing CA needs no new pairing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="220"/>
        <source>%1 devices in total; %2 not yet valid, %3 without a certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="223"/>
        <source>Figures as of %1 UTC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="240"/>
        <source>&amp;Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="254"/>
        <source>Export the expiry report as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="254"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="261"/>
        <source>Export the expiry report as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="261"/>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="271"/>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="275"/>
        <source>Report written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceDetailsDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="40"/>
        <source>Device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="53"/>
        <source>Renews itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="53"/>
        <source>Renewed from the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="54"/>
        <source>%1 · last renewed %2 · last confirmed %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="58"/>
        <source>last renewal refused %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="81"/>
        <source>This device has no certificate yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="83"/>
        <source>&amp;Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="91"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="92"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="93"/>
        <source>Issued (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="94"/>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="95"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="96"/>
        <source>Key made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="96"/>
        <source>here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="97"/>
        <source>on the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="98"/>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="99"/>
        <source>Made by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="100"/>
        <source>Replaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="101"/>
        <source>Valid until (grace, UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="103"/>
        <source>Confirmed (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="105"/>
        <source>Certificate history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="108"/>
        <source>&amp;History (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="110"/>
        <source>Audit entries for this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="113"/>
        <source>&amp;Audit (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="117"/>
        <source>&amp;Renew…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="118"/>
        <source>Re&amp;voke…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesModel</name>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="63"/>
        <source>Device ID</source>
        <extracomment>On a store with operators an officer&apos;s revocation waits for the key holder&apos;s next CRL: say so. Serials revoked but not on a signed CRL yet (filled as pages with revoked rows load).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="64"/>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="65"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="66"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="68"/>
        <location filename="../../zmconsole/gui/models/devices.py" line="76"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="69"/>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="70"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="74"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="75"/>
        <source>Revoked on (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="93"/>
        <source>Revoked, CRL pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="95"/>
        <source>the provisioning service signs the next CRL within a minute</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="38"/>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="39"/>
        <source>Needs action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="66"/>
        <source>Search device ID, ward, location or serial (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="67"/>
        <source>Search devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="74"/>
        <source>Show devices with status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="83"/>
        <source>Sort devices by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="85"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="98"/>
        <source>%1, ascending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="99"/>
        <source>%1, descending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="187"/>
        <source>%1 devices shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="187"/>
        <source>1 device shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="189"/>
        <source>%1 — only “%2”; choose “All statuses” to see every device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="207"/>
        <source>&amp;Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="209"/>
        <source>Re&amp;new…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="58"/>
        <source>Wrong passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="59"/>
        <source>The CA key&apos;s token stopped answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="60"/>
        <source>Refused by the site policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="61"/>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="62"/>
        <source>Not possible in the current state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="63"/>
        <source>Please check the input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="64"/>
        <source>The data store cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="65"/>
        <source>Integrity check failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="66"/>
        <source>Cannot do that</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="68"/>
        <source>Internal error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="74"/>
        <source>Create or import one with CA &gt; Set up the CA….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="76"/>
        <source>To use another data directory, quit the console and start it again with ZMCONSOLE_HOME set to that directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="79"/>
        <source>Check the ID on the Devices page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="81"/>
        <source>Issue one with Devices &gt; Issue certificate….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="83"/>
        <source>Another program is probably using this port, often a `zmconsole serve` already running: stop it and press Start again, or keep using that one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="86"/>
        <source>To replace it, save again and confirm when asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="88"/>
        <source>Deliver it with Devices &gt; Details… &gt; Save PKCS#12 (certificate and key)….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="90"/>
        <source>Deliver the certificate with Devices &gt; Details… &gt; Save certificate (PEM)….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="92"/>
        <source>Sign in as an operator whose role allows it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="100"/>
        <source>Something went wrong inside the console. This is a bug, not something you did wrong. The details were written to %1; please send that file to your support team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="133"/>
        <source>the program&apos;s error output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="142"/>
        <source>the program&apos;s error output (the log file could not be written)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExpiryChart</name>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="93"/>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="125"/>
        <source>Expiries per week over the next 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="132"/>
        <source>%1 certificates expire in the next 12 months; the busiest week starts %2 with %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="136"/>
        <source>No certificate expires in the next 12 months.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="153"/>
        <source>Week of %1: %2 expiring</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExpiryReport</name>
    <message>
        <location filename="../../zmconsole/gui/report_pdf.py" line="77"/>
        <source>Certificate expiry report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/report_pdf.py" line="87"/>
        <source>Cannot write the PDF report %1: choose a writable folder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportPanel</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="98"/>
        <source>Save certificate (&amp;PEM)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="99"/>
        <source>Save certificate (&amp;DER)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="100"/>
        <source>Save &amp;CA certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="106"/>
        <source>PKCS#12 password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="107"/>
        <source>Protects the private key in the file; give it to the person installing the monitor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="108"/>
        <source>Save &amp;PKCS#12 (certificate and key)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="117"/>
        <source>PKCS#12 password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="135"/>
        <source>The console holds this certificate&apos;s key until it is delivered: the PKCS#12 export delivers it and deletes the held copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="137"/>
        <source>The console does not hold this key (the device made it, or it was already delivered): only the certificate can be exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="144"/>
        <source>Save the certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="145"/>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="156"/>
        <source>PEM (*.pem *.crt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="145"/>
        <source>DER (*.der *.cer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="155"/>
        <source>Save the CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="169"/>
        <source>Save the PKCS#12 file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="169"/>
        <source>PKCS#12 (*.p12 *.pfx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="181"/>
        <source>The held key is sealed under the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="189"/>
        <source>Written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstAdminBox</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="29"/>
        <source>Sign-in for each person (optional): create the first admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="32"/>
        <source>Everyone then signs in with their own name and password, every audit entry names them, and bedside staff pair monitors without the CA passphrase. The admin adds the others later. A single-person site can leave this off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="38"/>
        <source>e.g. j.smith</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="43"/>
        <source>Admin name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="43"/>
        <source>Admin password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="44"/>
        <source>Admin password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="54"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="55"/>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="56"/>
        <source>A&amp;gain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="61"/>
        <source>✓ Ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="77"/>
        <source>Type a name and a password of at least %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="79"/>
        <source>✗ The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/first_admin.py" line="79"/>
        <source>Type the password again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="376"/>
        <source>Set up the platform CA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="202"/>
        <source>Import an existing CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="203"/>
        <source>Give its certificate (PEM or DER) and its key file, encrypted with a passphrase (for example openssl genrsa -aes256). The key is re-encrypted in the store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="212"/>
        <source>CA certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="213"/>
        <source>CA key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="214"/>
        <source>Passphrase of the key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="217"/>
        <source>&amp;Certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="217"/>
        <source>Choose the CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="218"/>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="219"/>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="219"/>
        <source>Choose the encrypted CA key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="220"/>
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="222"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="230"/>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IssueDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="56"/>
        <source>Renew the certificate of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="57"/>
        <source>Issue a device certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="74"/>
        <source>as printed on the monitor, e.g. ZM-001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="76"/>
        <source>Device ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="83"/>
        <source>becomes the OU, e.g. ICU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="84"/>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="87"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="94"/>
        <source>Validity in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="96"/>
        <source>&amp;Device ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="98"/>
        <source>&amp;Ward:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="99"/>
        <source>&amp;Location:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="100"/>
        <source>&amp;Validity (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="102"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="103"/>
        <source>The device made its key: use its &amp;certificate request (CSR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="105"/>
        <source>&amp;Generate the key on this console (delivered as PKCS#12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="114"/>
        <source>Paste the CSR here (-----BEGIN CERTIFICATE REQUEST-----…), or load it from a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="117"/>
        <source>Certificate request text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="119"/>
        <source>Load CSR from &amp;file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="126"/>
        <source>Key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="131"/>
        <source>Key &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="148"/>
        <source>&amp;Renew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="148"/>
        <source>&amp;Issue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="180"/>
        <source>Type the device ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="188"/>
        <source>✓ Matches the site policy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="196"/>
        <source>⚠ This device already has a valid certificate: renew it from its details, or revoke it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="203"/>
        <source>Load the device&apos;s certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="204"/>
        <source>Certificate requests (*.csr *.pem *.der *.req);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="211"/>
        <source>Cannot read %1 (%2): check the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="222"/>
        <source>(binary DER request loaded from %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="238"/>
        <source>Paste the device&apos;s CSR, load it from a file, or choose to generate the key here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="242"/>
        <source>Signing a certificate needs the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="276"/>
        <source>&lt;b&gt;%1&lt;/b&gt; now has a certificate, valid until %2 UTC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="282"/>
        <source>The CSR asked for the alternative names %1; they were ignored, and the certificate names the device as the profile does.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="69"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="69"/>
        <source>Platform CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="70"/>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="70"/>
        <source>Signer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="81"/>
        <source>Z Monitor Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="81"/>
        <source> — demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="96"/>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="114"/>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="115"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="116"/>
        <source>Pair a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="117"/>
        <source>Revocation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="118"/>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="119"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="177"/>
        <source>Unsaved settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="178"/>
        <source>The Settings page has changes that are not saved. Save them before leaving?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="235"/>
        <source>&amp;Issue certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="236"/>
        <source>Issue a device certificate from a CSR or a generated key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="238"/>
        <source>&amp;Bulk issue from CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="239"/>
        <source>Issue certificates for every row of a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="240"/>
        <source>&amp;Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="242"/>
        <source>Revoke the selected devices (asks for the reason and confirmation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="244"/>
        <source>&amp;Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="245"/>
        <source>Certificate, history and audit entries of the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="247"/>
        <source>Re&amp;new…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="248"/>
        <source>Issue a new certificate; the old one stays valid 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="250"/>
        <source>&amp;Search devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="252"/>
        <source>Re&amp;fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="253"/>
        <source>Read the store again (the CLI or the service may have changed it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="257"/>
        <source>&amp;Lock the CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="258"/>
        <source>Forget the CA key until the passphrase is entered again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="260"/>
        <source>&amp;Unlock the CA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="261"/>
        <source>Enter the CA passphrase now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="262"/>
        <source>&amp;Publish CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="263"/>
        <source>Sign a fresh CRL and write it to the publish folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="265"/>
        <source>&amp;Regenerate CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="267"/>
        <source>Set &amp;up the CA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="268"/>
        <source>Export expiry report as &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="270"/>
        <source>Export expiry report as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="272"/>
        <source>Export &amp;audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="273"/>
        <location filename="../../zmconsole/gui/main_window.py" line="582"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="277"/>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="278"/>
        <source>&amp;Pair a device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="279"/>
        <source>Show a QR code the monitor scans to fetch its certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="284"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="289"/>
        <source>&amp;Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="295"/>
        <source>&amp;CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="300"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="306"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="311"/>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="329"/>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="349"/>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="352"/>
        <source>Demo store (thrown away on exit) — CA passphrase: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="362"/>
        <source>No CA yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="364"/>
        <source>CA locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="364"/>
        <source>CA unlocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="369"/>
        <source>The CA is locked; signing asks for the passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="430"/>
        <source>Refreshed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="486"/>
        <source>Select the devices to revoke first (scroll to load them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="493"/>
        <source>Revoke at most %1 devices at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="513"/>
        <source>Revoking signs a new CRL with the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="519"/>
        <source>Revoked %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="524"/>
        <source>Revoked, CRL pending: OCSP answers “revoked” now, and the provisioning service signs the next CRL within a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="527"/>
        <source>CRL %1 now lists %2 certificates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="529"/>
        <source>Published to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="532"/>
        <source>Not published: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="536"/>
        <source>Some devices were not revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="537"/>
        <source>The new CRL was not published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="552"/>
        <source>About the Z Monitor Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="553"/>
        <source>&lt;b&gt;zmconsole %1&lt;/b&gt;&lt;br&gt;Provisioning console and platform certificate authority for Z Monitor bedside monitors.&lt;br&gt;Data folder: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="571"/>
        <source>The provisioning service this console runs stops: devices cannot fetch certificates from it until it is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="574"/>
        <source>The pairing of %1 is still waiting for the monitor; its code leaves the screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="579"/>
        <source>Quit the console?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OperatorForm</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="67"/>
        <source>Add an operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="67"/>
        <source>New password for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="71"/>
        <source>e.g. j.smith</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="73"/>
        <source>Operator name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="74"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="77"/>
        <source>pairing — prepares and cancels pairings, sees devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="78"/>
        <source>officer — also revokes, exports reports and the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="79"/>
        <source>admin — also CAs, server certificates, settings and operators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="82"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="84"/>
        <source>&amp;Role:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="91"/>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="91"/>
        <source>&amp;Set password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OperatorsDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="119"/>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="128"/>
        <source>Operators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="121"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="122"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="123"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="123"/>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="123"/>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="124"/>
        <source>Added (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="125"/>
        <source>Password changed (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="126"/>
        <source>Wrong passwords</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="131"/>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="132"/>
        <source>Set &amp;password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="133"/>
        <source>&amp;Disable…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="144"/>
        <source>Each person signs in with their own name. Disabling someone revokes their pairing signer at once: QR codes they prepared and that were not used stop working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="189"/>
        <source>%1 added as %2; they sign in with the password you gave them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="191"/>
        <source>Adding an operator issues their pairing signer with the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="208"/>
        <source>%1 has a new password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="214"/>
        <source>Another operator&apos;s new password comes with a new pairing signer, issued with the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="226"/>
        <source>Disable the operator?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="227"/>
        <source>%1 can no longer sign in, their pairing signer is revoked, and the pairings they prepared that are still waiting end now. This cannot be undone (a new operator can be added).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="231"/>
        <source>&amp;Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="238"/>
        <source>%1 is disabled; their pairing signer is revoked.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PagedTableModel</name>
    <message>
        <location filename="../../zmconsole/gui/models/paged.py" line="144"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PairingForm</name>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="63"/>
        <source>Pair a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="66"/>
        <source>Scan the barcode on the monitor, or type its device ID, then press Enter. The console shows a QR code and a pairing code for the monitor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="71"/>
        <source>Device ID, e.g. ZM-001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="75"/>
        <source>Device ID to pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="76"/>
        <source>Scan the monitor&apos;s barcode or type its ID; Enter starts the pairing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="83"/>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="85"/>
        <source>Ward (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="87"/>
        <source>Who makes the device&apos;s private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="88"/>
        <source>The &amp;monitor makes its own key (recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="89"/>
        <source>The &amp;console makes the key and sends it encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="90"/>
        <source>The key never leaves the device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="91"/>
        <source>For monitors that cannot make keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="104"/>
        <source>&amp;Device ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="106"/>
        <source>&amp;Ward:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="108"/>
        <source>&amp;Pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="169"/>
        <source>Scan or type the device ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="171"/>
        <source>✗ “%1” is not a device ID this site uses. Scan the barcode on the monitor, or type the ID printed on it (for example ZM-001). The accepted form is set in Settings (Device ID pattern).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="175"/>
        <source>✗ %1 already has a valid certificate (serial %2): revoke it before pairing the device again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="180"/>
        <source>✓ Ready to pair %1. A pairing is already waiting for this device (until %2 UTC); pairing again replaces it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/form.py" line="182"/>
        <source>✓ Ready to pair %1: press Enter or Pair.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PairingPage</name>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="27"/>
        <source>Failed: this pairing no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="28"/>
        <source>Press New code to start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="31"/>
        <source>The monitor has its certificate. Let it run its connection test, then press Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="38"/>
        <source>The monitor proved the code: issuing its certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="41"/>
        <source>Waiting for the device… A wrong pairing code was typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="42"/>
        <source>Attempts left before this code stops working: %1. Check the digits on this screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="44"/>
        <source>Waiting for the device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="45"/>
        <source>On the monitor: scan this QR code, check that it shows the same CA fingerprint, then type the pairing code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="55"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="56"/>
        <source>The code no longer works. Press New code if the monitor still needs its certificate, or Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="58"/>
        <source>Cancelled: replaced by a newer code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="59"/>
        <source>Another code was made for this device (here or on another console). Press New code if the monitor still needs its certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="65"/>
        <source>Failed: the code was typed wrong %1 times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="67"/>
        <source>This code no longer works, so nobody can keep guessing it. If that was not a typing mistake at the monitor, someone else may have tried it. Press New code, and type the digits carefully.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="71"/>
        <source>Failed: the pairing code expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="72"/>
        <source>The monitor did not fetch its certificate in time. Press New code and scan again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="74"/>
        <source>Failed: this pairing ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="75"/>
        <source>Press New code if the monitor still needs its certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="51"/>
        <source>Cancelled: the console locked itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="30"/>
        <source>Paired ✓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="52"/>
        <source>A pairing code must not stay on an unattended screen. Press New code (the console asks for the CA passphrase) to start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="81"/>
        <source>Pairing pending (the code is valid until %1 UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="85"/>
        <source>Paired with a QR code on %1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="86"/>
        <source>the code was typed wrong too often</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="87"/>
        <source>the code expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="88"/>
        <source>Last pairing failed on %1 UTC: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="89"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="115"/>
        <source>There is no platform CA yet: set one up first (CA menu, Set up the CA…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="142"/>
        <source>Pairing signs the QR code with a key the CA certifies, and may issue the certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="154"/>
        <source>Preparing the pairing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="209"/>
        <source>The console locked itself, so the code was taken off the screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="211"/>
        <source>Paired ✓ — this QR code has been used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="213"/>
        <source>This QR code no longer works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="245"/>
        <source>Cancelling: the console locked itself…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="257"/>
        <source>Cancelled: the operator was signed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="286"/>
        <source>The pairing of %1 is still waiting for the monitor, so a scanned ID was not used. Finish that pairing or press Cancel pairing, then scan the next device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="296"/>
        <source>Save the QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="297"/>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="302"/>
        <source>QR code saved to %1. It holds a one-time token: delete the file once the monitor is paired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="310"/>
        <source>Save the label to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="311"/>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/page.py" line="322"/>
        <source>Label saved to %1: print it at 100 % on a 62 × 80 mm label.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="135"/>
        <source>The CA passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="136"/>
        <source>It encrypts the CA key and is asked once per session. It cannot be recovered: keep it in the hospital&apos;s password safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="142"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="142"/>
        <source>Passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="150"/>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="157"/>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="158"/>
        <source>&amp;Again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="159"/>
        <source>Strength:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="171"/>
        <source>Too short: use at least %1 characters, ideally a phrase of several words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="173"/>
        <source>Weak: easy to guess. Use a phrase of several unrelated words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="174"/>
        <source>Fair: longer is better, for example four or five words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="175"/>
        <source>Good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="176"/>
        <source>Strong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="183"/>
        <source>✓ The two passphrases match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="184"/>
        <source>✗ The two passphrases differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="80"/>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="81"/>
        <source>Compromised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="82"/>
        <source>Decommissioned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="83"/>
        <source>Superseded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="90"/>
        <source>The monitor cannot be found; whoever has it has its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="91"/>
        <source>The monitor or its key may be in the wrong hands or tampered with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="92"/>
        <source>The monitor is retired from service and will not connect again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RevocationPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="45"/>
        <source>CRL number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="46"/>
        <source>This update (UTC):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="47"/>
        <source>Next update (UTC):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="48"/>
        <source>Revoked certificates listed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="49"/>
        <source>Publish folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="50"/>
        <source>Current certificate revocation list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="54"/>
        <source>&amp;Regenerate CRL now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="55"/>
        <source>&amp;Publish CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="56"/>
        <source>Save CRL &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="57"/>
        <source>Change publish &amp;folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="69"/>
        <location filename="../../zmconsole/gui/views/revocation.py" line="73"/>
        <source>Revoked devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="86"/>
        <source>(not set: choose one in Settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="92"/>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="103"/>
        <source> — overdue: publish a new CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="104"/>
        <source> — a day old: publish a new CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="105"/>
        <source> — misses a recent revocation: publish a new CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="113"/>
        <source>Signing a new CRL needs the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="128"/>
        <source>CRL %1 signed with %2 entries, but not published: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="132"/>
        <source>CRL %1 (%2 entries) published as %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="135"/>
        <source>CRL %1 signed with %2 entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="141"/>
        <source>Save the CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="142"/>
        <source>PEM (*.pem *.crl);;DER (*.der)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="151"/>
        <source>CRL %1 saved to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RevokeDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="54"/>
        <source>Revoke certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="57"/>
        <source>Revoke the certificates of these %1 devices? Each is refused at its next connection once the new CRL is published. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="60"/>
        <source>Revoke the certificate of %1? It is refused at its next connection once the new CRL is published. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="67"/>
        <source>Devices to revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="68"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="81"/>
        <source>&amp;Revoke %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="81"/>
        <source>%1 devices</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServiceControl</name>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="103"/>
        <source>The provisioning service signs device certificates with the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="119"/>
        <source>A provisioning service already serves this store (on %1, process %2, at %3): the console uses it and does not start another.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServicePanel</name>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="174"/>
        <location filename="../../zmconsole/gui/service_control.py" line="220"/>
        <location filename="../../zmconsole/gui/service_control.py" line="228"/>
        <source>&amp;Start the provisioning service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="205"/>
        <source>&lt;b&gt;Provisioning service: running in this console&lt;/b&gt; — pairing at %1, CRL at %2. It runs until you stop it or close the console, also while the console is locked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="208"/>
        <source>&amp;Stop the provisioning service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="210"/>
        <source>&lt;b&gt;Provisioning service: starting…&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="210"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="212"/>
        <source>&lt;b&gt;Provisioning service: stopping…&lt;/b&gt; (finishing requests in progress)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="213"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="217"/>
        <source>&lt;b&gt;Provisioning service: running&lt;/b&gt; on %1 (process %2, last seen %3 s ago) — pairing at %4. This console uses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="223"/>
        <source>&lt;b&gt;Provisioning service: stopped&lt;/b&gt; — devices cannot fetch certificates. Start it to serve pairing on %1 and the CRL on %2 (or run zmconsole serve on a server).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="227"/>
        <source>&lt;b&gt;Provisioning service: could not start&lt;/b&gt; — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="236"/>
        <source>⚠ QR codes point to %1 (Settings, provisioning URL), where no provisioning service answers: devices cannot pair until one does.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="80"/>
        <location filename="../../zmconsole/gui/views/settings.py" line="85"/>
        <source>Data location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="86"/>
        <source>Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="89"/>
        <source>Store:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="90"/>
        <source>Chosen when the console starts, with --home DIR or the ZMCONSOLE_HOME environment variable; the command line and the provisioning service use the same folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="96"/>
        <source>CA subject (C and O every device must match):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="113"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="114"/>
        <source>Choose the CRL publish folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="133"/>
        <source>&amp;Save settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="134"/>
        <source>&amp;Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="164"/>
        <source>(no CA yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="174"/>
        <source>● Unsaved changes — Save or Revert them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="194"/>
        <source>Changing the settings needs the CA unlocked, as other CA operations do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="202"/>
        <source>Settings saved at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="212"/>
        <source>Choose the folder the web server publishes CRLs from</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="46"/>
        <source>Sign in to the Z Monitor Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="59"/>
        <source>e.g. j.smith</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="63"/>
        <source>Operator name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="63"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="68"/>
        <source>&amp;Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="78"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="80"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="120"/>
        <source>Each person signs in with their own name and password. The console signs you out after %1 minutes without use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="122"/>
        <source>Each person signs in with their own name and password. The console signs you out after a minute without use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/sign_in.py" line="143"/>
        <source>Type your operator name and your password.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="29"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="30"/>
        <location filename="../../zmconsole/gui/statuses.py" line="31"/>
        <location filename="../../zmconsole/gui/statuses.py" line="32"/>
        <source>Expires within %n days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="33"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="34"/>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="35"/>
        <source>Superseded (renewed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="36"/>
        <source>Not yet valid (check the clock)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="38"/>
        <source>No certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="46"/>
        <location filename="../../zmconsole/gui/statuses.py" line="47"/>
        <location filename="../../zmconsole/gui/statuses.py" line="48"/>
        <source>≤ %n days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="49"/>
        <source>Superseded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="50"/>
        <source>Not yet valid</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SubjectPage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="64"/>
        <source>The CA&apos;s name, key and lifetime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="65"/>
        <source>Device certificates must carry the same country (C) and organisation (O).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="68"/>
        <source>&amp;Country (C, two letters):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="68"/>
        <source>&amp;State (ST):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="69"/>
        <source>&amp;Organisation (O):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="69"/>
        <source>Organisational &amp;unit (OU):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="70"/>
        <source>Common &amp;name (CN):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="72"/>
        <source>e.g. US</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="72"/>
        <source>e.g. Ontario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="73"/>
        <source>e.g. St Mary&apos;s Hospital</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="73"/>
        <source>e.g. Clinical Engineering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="74"/>
        <source>e.g. St Mary&apos;s Z Monitor CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="84"/>
        <source>RSA 4096 (default; key generation takes a few seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="85"/>
        <source>EC P-384 (fast; every current TLS stack accepts it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="86"/>
        <source>CA key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="87"/>
        <source>&amp;Key type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="92"/>
        <source>CA validity in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="93"/>
        <source>&amp;Validity (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="96"/>
        <source>e.g. devices.stmarys.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="97"/>
        <source>Device DNS domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="98"/>
        <source>Each device certificate names the device as &lt;id&gt;.&lt;this domain&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="99"/>
        <source>Device &amp;DNS domain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="112"/>
        <source>Enter the device DNS domain: device certificates name the device as &lt;id&gt;.&lt;domain&gt;, for example zm-002.devices.stmarys.example.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <location filename="../../zmconsole/gui/theme.py" line="19"/>
        <source>&amp;System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/theme.py" line="19"/>
        <source>&amp;Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/theme.py" line="20"/>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketView</name>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="56"/>
        <source>Pairing QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="64"/>
        <source>Pairing code — type it on the monitor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="99"/>
        <source>The start of the platform CA&apos;s SHA-256 fingerprint: the monitor shows the same digits when it trusts this CA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="103"/>
        <source>Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="104"/>
        <source>Provisioning URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="105"/>
        <source>CA fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="127"/>
        <source>&amp;Cancel pairing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="128"/>
        <source>&amp;New code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="129"/>
        <source>&amp;Save QR code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="130"/>
        <source>P&amp;rint label…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="131"/>
        <source>A 62 × 80 mm label with the QR code, as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="132"/>
        <source>Print the code &amp;on the label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="134"/>
        <source>Whoever holds a label with the code can pair the monitor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="136"/>
        <source>&amp;Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="166"/>
        <source>Pairing QR code for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="168"/>
        <source>Pairing code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="171"/>
        <source>made by the monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="172"/>
        <source>made by the console (certificate %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="183"/>
        <source>Expires in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="193"/>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="194"/>
        <source>Serial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing/ticket_view.py" line="202"/>
        <source>No pairing code</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="68"/>
        <source>%1: %2 devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="69"/>
        <source>%1 — click to list them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="41"/>
        <source>Unlock the CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="46"/>
        <source>Enter the passphrase of the platform CA (%1) to sign with it. The CA is locked again after %2 minutes without use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="49"/>
        <source>The key of the platform CA (%1) is in the PKCS#11 token “%3”: connect the token and enter its PIN to sign with it. The CA is locked again after %2 minutes without use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="59"/>
        <source>CA passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="59"/>
        <source>Token PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="63"/>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="63"/>
        <source>&amp;PIN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="65"/>
        <source>&amp;Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="82"/>
        <source>Type the CA passphrase first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="83"/>
        <source>Type the token&apos;s PIN first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkPage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="254"/>
        <source>Setting up the CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="292"/>
        <source>Generating the %1 key and the self-signed certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="302"/>
        <source>Checking and importing the CA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="303"/>
        <source>Cannot read %1 (%2): check the path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="313"/>
        <source>Setting up the CA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="327"/>
        <source>The platform CA is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="329"/>
        <source>Subject: %1
Key: %2
Valid until: %3 UTC
SHA-256 fingerprint: %4

The CA certificate is in %5; back up the data folder (it holds the encrypted key) and keep the passphrase safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="338"/>
        <source>You are signed in as %1 (admin). Add the other operators with CA &gt; Operators…; from now on everyone signs in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="346"/>
        <source>The CA is ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="352"/>
        <source>The CA was not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="355"/>
        <source>The CA was not set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="358"/>
        <source>Go back to change it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>menu</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="117"/>
        <source>Revoke: %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="114"/>
        <source>There is no platform CA yet: set one up first (CA menu, Set up the CA…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="48"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="48"/>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="49"/>
        <source>A&amp;gain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="49"/>
        <source>New password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/operators.py" line="56"/>
        <source>The two passwords differ: type them again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>widget</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="142"/>
        <source>paired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="142"/>
        <source>renewed by the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="143"/>
        <source>renewed from the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="143"/>
        <source>issued</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="70"/>
        <source>Filling the demo store with a CA and a few hundred monitors…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="71"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="73"/>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/operator_gate.py" line="47"/>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/operator_gate.py" line="50"/>
        <source>Sign out now; the next person signs in with their own name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/operator_gate.py" line="54"/>
        <source>&amp;Operators…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/operator_gate.py" line="56"/>
        <source>Who signs in: add operators with a role, disable them, set their passwords</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/operator_gate.py" line="96"/>
        <source>Signed in: &lt;b&gt;%1&lt;/b&gt; (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/operator_gate.py" line="97"/>
        <source>Signed in as %1, role %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/operator_gate.py" line="103"/>
        <source>You were signed out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
