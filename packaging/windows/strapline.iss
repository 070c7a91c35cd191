; Inno Setup 6 script (6.3 or newer): a Windows installer for the one-folder bundle built by
; packaging/strapline.spec (run PyInstaller on Windows first, from the repository root):
;   pyinstaller --noconfirm --clean packaging\strapline.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\strapline.iss
; writes dist\strapline-0.1.0-setup.exe. It installs per machine (or per user when run without
; administrator rights), adds Start menu entries and associates .strapline show files with the
; app: Explorer opens them with "strapline-app.exe" "<file>".

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Strapline"
#define AppExe "strapline-app.exe"
#define ProgId "Strapline.Show"

[Setup]
AppId={{6C1F8E57-3B0A-4C4E-9F61-5A3D2E7B9C10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Strapline
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=strapline-{#AppVersion}-setup
SetupIconFile=..\icon\strapline.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\strapline\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
; the windowed program runs any command in the "-m strapline COMMAND" form: no console window
Name: "{group}\{#AppName} demo show"; Filename: "{app}\{#AppExe}"; Parameters: "-m strapline demo"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA is HKLM for a per-machine install and HKCU for a per-user one.
Root: HKA; Subkey: "Software\Classes\.strapline"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.strapline"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-strapline"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.strapline\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Strapline show"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".strapline"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
