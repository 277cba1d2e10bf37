""".qdpx files shaped like the ones NVivo, ATLAS.ti, MAXQDA, QualCoder and Transana write.

Each builder returns the bytes of a small project with that program's quirks, taken from the
REFI-QDA 1.5 text's examples and from what importers (QualCoder's refi.py) handle:

- NVivo: `sources/`, CRLF text with a BOM next to a .docx, typed case variables (Integer,
  Date, Boolean), an annotation Note linked to a selection by a Link, a project NoteRef.
- ATLAS.ti: `Project.qde` and `Sources/` capitalised, upper-case GUIDs and file names, flat
  codes named "Group::code", Sets, Links, a Graph, a PictureSource, quotation comments as
  selection Descriptions, xsi:schemaLocation.
- MAXQDA: GUIDs in braces, three-digit colours, document variables on a nameless Case and on
  a TextSource, two documents with the same name, extra vendor namespace attributes and
  elements.
- QualCoder: categories as non-codable codes, a code without a colour, inline
  PlainTextContent, a code applied to a whole source, an end position past the text.
- Transana: the pre-1.0 namespace `urn:QDA-XML:project:0:10`.

Positions are computed on each file's own text, as the program would count them.
"""

from __future__ import annotations

import io
import zipfile

NS = "urn:QDA-XML:project:1.0"

TEXT_A = (
    "Interviewer: How do you use social media?\n"
    "Anna: We post studio diaries every week. Fans love the demos.\n"
    "Interviewer: And when fans write to you?\n"
    "Anna: I answer every comment myself, usually the same night.\n"
)
TEXT_B = (
    "Q: Tell me about covers.\nA: Fans post covers of our songs and we share them on our page.\n"
)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def zipped(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def nvivo() -> bytes:
    crlf = TEXT_A.replace("\n", "\r\n")
    s1, e1 = span(crlf, "We post studio diaries every week.")
    s2, e2 = span(crlf, "I answer every comment myself")
    sb, eb = span(TEXT_B, "Fans post covers of our songs")
    qde = f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="{NS}" name="Label study (NVivo)" origin="NVivo 14.23.0"
  creatingUserGUID="7A4F3C22-1B7E-4E0B-9C3A-2F1D5E6A7B80"
  creationDateTime="2023-05-02T10:00:00Z">
  <Users>
    <User guid="7A4F3C22-1B7E-4E0B-9C3A-2F1D5E6A7B80" name="Maria Lopez" id="ML"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="0B1C2D3E-4F50-4617-8283-94A5B6C7D8E9" name="Bonding" isCodable="true"
            color="#1F77B4">
        <Description>Building ties with fans.</Description>
        <NoteRef targetGUID="CAFE0001-0000-4000-8000-000000000001"/>
        <Code guid="1B1C2D3E-4F50-4617-8283-94A5B6C7D8E9" name="Approaching" isCodable="true"
              color="#4A93CC"/>
        <Code guid="2B1C2D3E-4F50-4617-8283-94A5B6C7D8E9" name="Reacting" isCodable="true"/>
      </Code>
      <Code guid="3B1C2D3E-4F50-4617-8283-94A5B6C7D8E9" name="Spreading" isCodable="true"
            color="#FF7F0E"/>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="5A000001-0000-4000-8000-000000000001" name="Gender" typeOfVariable="Text"/>
    <Variable guid="5A000001-0000-4000-8000-000000000002" name="Age" typeOfVariable="Integer"/>
    <Variable guid="5A000001-0000-4000-8000-000000000003" name="Interviewed"
              typeOfVariable="Date"/>
    <Variable guid="5A000001-0000-4000-8000-000000000004" name="Consent"
              typeOfVariable="Boolean"/>
  </Variables>
  <Cases>
    <Case guid="CA5E0001-0000-4000-8000-000000000001" name="Anna">
      <Description>Label owner</Description>
      <VariableValue><VariableRef targetGUID="5A000001-0000-4000-8000-000000000001"/>
        <TextValue>Female</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="5A000001-0000-4000-8000-000000000002"/>
        <IntegerValue>34</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="5A000001-0000-4000-8000-000000000003"/>
        <DateValue>2013-03-14</DateValue></VariableValue>
      <VariableValue><VariableRef targetGUID="5A000001-0000-4000-8000-000000000004"/>
        <BooleanValue>true</BooleanValue></VariableValue>
      <SourceRef targetGUID="50000001-0000-4000-8000-000000000001"/>
    </Case>
    <Case guid="CA5E0001-0000-4000-8000-000000000002" name="Ben">
      <VariableValue><VariableRef targetGUID="5A000001-0000-4000-8000-000000000002"/>
        <IntegerValue>41</IntegerValue></VariableValue>
      <SourceRef targetGUID="50000001-0000-4000-8000-000000000002"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="50000001-0000-4000-8000-000000000001" name="Anna interview"
      plainTextPath="internal://50000001-0000-4000-8000-000000000001.txt"
      richTextPath="internal://50000001-0000-4000-8000-00000000000D.docx"
      creatingUser="7A4F3C22-1B7E-4E0B-9C3A-2F1D5E6A7B80"
      creationDateTime="2023-05-02T10:05:00Z">
      <PlainTextSelection guid="5E000001-0000-4000-8000-000000000001" startPosition="{s1}"
        endPosition="{e1}" creatingUser="7A4F3C22-1B7E-4E0B-9C3A-2F1D5E6A7B80"
        creationDateTime="2023-05-02T11:00:00Z">
        <Coding guid="C0000001-0000-4000-8000-000000000001"
          creatingUser="7A4F3C22-1B7E-4E0B-9C3A-2F1D5E6A7B80">
          <CodeRef targetGUID="1B1C2D3E-4F50-4617-8283-94A5B6C7D8E9"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5E000001-0000-4000-8000-000000000002" startPosition="{s2}"
        endPosition="{e2}">
        <Coding guid="C0000001-0000-4000-8000-000000000002">
          <CodeRef targetGUID="2B1C2D3E-4F50-4617-8283-94A5B6C7D8E9"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="50000001-0000-4000-8000-000000000002" name="Ben interview"
      plainTextPath="internal://50000001-0000-4000-8000-000000000002.txt">
      <PlainTextSelection guid="5E000001-0000-4000-8000-000000000003" startPosition="{sb}"
        endPosition="{eb}">
        <Coding guid="C0000001-0000-4000-8000-000000000003">
          <CodeRef targetGUID="3B1C2D3E-4F50-4617-8283-94A5B6C7D8E9"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="CAFE0001-0000-4000-8000-000000000001" name="Bonding memo">
      <PlainTextContent>Most labels talk about this first.</PlainTextContent>
    </Note>
    <Note guid="CAFE0001-0000-4000-8000-000000000002" name="Annotation"
      plainTextPath="internal://CAFE0001-0000-4000-8000-000000000002.txt"/>
    <Note guid="CAFE0001-0000-4000-8000-000000000003" name="Research plan">
      <PlainTextContent>Ten labels, twelve interviews.</PlainTextContent>
    </Note>
  </Notes>
  <Links>
    <Link guid="11000001-0000-4000-8000-000000000001" name="Annotation"
      originGUID="CAFE0001-0000-4000-8000-000000000002"
      targetGUID="5E000001-0000-4000-8000-000000000002"/>
  </Links>
  <Description>Exported from NVivo</Description>
  <NoteRef targetGUID="CAFE0001-0000-4000-8000-000000000003"/>
</Project>
"""
    return zipped(
        {
            "project.qde": qde,
            "sources/50000001-0000-4000-8000-000000000001.txt": b"\xef\xbb\xbf"
            + crlf.encode("utf-8"),
            "sources/50000001-0000-4000-8000-00000000000D.docx": b"PK\x03\x04 not read",
            "sources/50000001-0000-4000-8000-000000000002.txt": TEXT_B,
            "sources/CAFE0001-0000-4000-8000-000000000002.txt": "Replies the same night.",
        }
    )


def atlas() -> bytes:
    s1, e1 = span(TEXT_A, "Fans love the demos.")
    qde = f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  origin="ATLAS.ti 23.1.0" name="ATLAS.ti project"
  basePath="/Users/someone/Documents/ATLAS.ti exports"
  xsi:schemaLocation="{NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd">
  <Users>
    <User guid="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B" name="ATLAS.ti"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code color="#F00082" isCodable="true" name="Coke"
        guid="7496BA52-9C8D-4396-8FAB-CC438614E453">
        <Description>the breakfast of champions</Description>
      </Code>
      <Code color="#966450" isCodable="true" name="Coke::diet Coke"
        guid="D299EFAE-5779-46DC-9827-A3D1A5D544BC"/>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource plainTextPath="internal://01106019-2518-43DD-BBD1-8F0252BACB30.txt"
      richTextPath="internal://B5566006-EB5F-43F0-9BC2-DBCD4D2F73F7.docx"
      guid="69A4332D-5B31-4915-B520-5275CFC21B40" name="Anna interview.docx"
      creatingUser="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B"
      creationDateTime="2018-03-27T18:01:07Z">
      <PlainTextSelection startPosition="{s1}" endPosition="{e1}"
        guid="4191294A-E287-4510-95B0-69BCE4638E56" name="Fans love the demos.">
        <Description>Typical of small labels</Description>
        <Coding creatingUser="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B"
          creationDateTime="2018-03-27T19:29:27Z" guid="445A6AEC-1400-4502-919D-0867832FF211">
          <CodeRef targetGUID="D299EFAE-5779-46DC-9827-A3D1A5D544BC"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource path="internal://87EAD86F-3112-4537-8A01-01427CAE1C6D.jpg"
      guid="02255470-09E6-400B-9E20-97D71FBEC65D" name="cornflakes.jpg"/>
  </Sources>
  <Notes>
    <Note guid="E41BE463-FDF3-4ED0-B668-119C53D8D687" name="My favourite quote">
      <Description>memo on a quotation</Description>
      <PlainTextContent>This one says it all.</PlainTextContent>
    </Note>
  </Notes>
  <Links>
    <Link direction="OneWay" color="#000000" name="Memo-Quotation Relation"
      originGUID="E41BE463-FDF3-4ED0-B668-119C53D8D687"
      targetGUID="4191294A-E287-4510-95B0-69BCE4638E56"
      guid="7B56978E-9D9F-4D47-B4EC-436E2F6B8BE5"/>
  </Links>
  <Sets>
    <Set guid="2324B638-D629-4970-B2E8-8B5BFD0A8D6B" name="Drinks">
      <MemberCode targetGUID="7496BA52-9C8D-4396-8FAB-CC438614E453"/>
    </Set>
  </Sets>
  <Graphs>
    <Graph guid="2BD17780-DA8D-4F9E-835A-5FA8CF02EF11" name="Netzwerk">
      <Vertex firstX="103" firstY="26" guid="B169A012-304E-49AC-A753-2543F08987AF"
        name="Anna" shape="Rectangle"/>
    </Graph>
  </Graphs>
</Project>
"""
    return zipped(
        {
            "Project.qde": qde,
            "Sources/01106019-2518-43DD-BBD1-8F0252BACB30.TXT": TEXT_A,
            "Sources/B5566006-EB5F-43F0-9BC2-DBCD4D2F73F7.DOCX": b"PK\x03\x04 not read",
            "Sources/87EAD86F-3112-4537-8A01-01427CAE1C6D.JPG": b"\xff\xd8\xff\xe0 jpeg",
        }
    )


def maxqda() -> bytes:
    s1, e1 = span(TEXT_A, "I answer every comment myself")
    sb, eb = span(TEXT_B, "we share them on our page")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" xmlns:mx="http://www.maxqda.com/qdpx-extension"
  name="MAXQDA 2022 project" origin="MAXQDA 2022 (Release 22.4.0)" mx:build="22.4.0">
  <Users>
    <User guid="{{6F1C6B1E-0D7A-4C55-9D1B-6A2B3C4D5E6F}}" name="mq" mx:initials="MQ"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{{A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF}}" name="Engagement" isCodable="true"
        color="#c33">
        <Code guid="{{A1B2C3D4-E5F6-4711-8899-AABBCCDDEE00}}" name="Replies" isCodable="true"
          color="#3c3" mx:weight="0"/>
        <Code guid="{{A1B2C3D4-E5F6-4711-8899-AABBCCDDEE01}}" name="Sharing" isCodable="true"
          color="#33C"/>
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="{{0E000001-0000-4000-8000-000000000001}}" name="Role" typeOfVariable="Text"/>
    <Variable guid="{{0E000001-0000-4000-8000-000000000002}}" name="Staff"
      typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="{{0CA50001-0000-4000-8000-000000000001}}">
      <VariableValue><VariableRef targetGUID="{{0E000001-0000-4000-8000-000000000001}}"/>
        <TextValue>Owner</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{{0E000001-0000-4000-8000-000000000002}}"/>
        <IntegerValue>4</IntegerValue></VariableValue>
      <SourceRef targetGUID="{{D0C00001-0000-4000-8000-000000000001}}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{{D0C00001-0000-4000-8000-000000000001}}" name="Interview"
      plainTextPath="internal://{{D0C00001-0000-4000-8000-000000000001}}.txt"
      mx:docgroup="Labels">
      <PlainTextSelection guid="{{5E100001-0000-4000-8000-000000000001}}"
        startPosition="{s1}" endPosition="{e1}"
        creatingUser="{{6F1C6B1E-0D7A-4C55-9D1B-6A2B3C4D5E6F}}">
        <Coding guid="{{C0D10001-0000-4000-8000-000000000001}}">
          <CodeRef targetGUID="{{A1B2C3D4-E5F6-4711-8899-AABBCCDDEE00}}"/>
        </Coding>
      </PlainTextSelection>
      <mx:DocumentColor value="#ffffff"/>
    </TextSource>
    <TextSource guid="{{D0C00001-0000-4000-8000-000000000002}}" name="Interview"
      plainTextPath="internal://{{D0C00001-0000-4000-8000-000000000002}}.txt">
      <PlainTextSelection guid="{{5E100001-0000-4000-8000-000000000002}}"
        startPosition="{sb}" endPosition="{eb}">
        <Coding guid="{{C0D10001-0000-4000-8000-000000000002}}">
          <CodeRef targetGUID="{{A1B2C3D4-E5F6-4711-8899-AABBCCDDEE01}}"/>
        </Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="{{0E000001-0000-4000-8000-000000000001}}"/>
        <TextValue>Manager</TextValue></VariableValue>
    </TextSource>
  </Sources>
</Project>
"""
    return zipped(
        {
            "project.qde": qde,
            "sources/{D0C00001-0000-4000-8000-000000000001}.txt": TEXT_A,
            "sources/{D0C00001-0000-4000-8000-000000000002}.txt": TEXT_B,
        }
    )


def qualcoder() -> bytes:
    s1, e1 = span(TEXT_B, "Fans post covers of our songs")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  name="qualcoder_project" origin="QualCoder 3.5"
  creatingUserGUID="9d2e5c1a-0b3f-4e6a-8c7d-1f2a3b4c5d6e"
  creationDateTime="2024-01-10T09:00:00Z">
  <Users>
    <User guid="9d2e5c1a-0b3f-4e6a-8c7d-1f2a3b4c5d6e" name="default"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" name="Spreading" isCodable="false">
        <Description>A category: passing music around.</Description>
        <Code guid="8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c40" name="Freedom of expression"
          isCodable="true" color="#F781F3">
          <Description>Fans making something new with the music.</Description>
        </Code>
        <Code guid="8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c41" name="Whole interview"
          isCodable="true"/>
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" name="Label" typeOfVariable="Text">
      <Description>Record label</Description>
    </Variable>
  </Variables>
  <Cases>
    <Case guid="7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f" name="P02">
      <Description>second interview</Description>
      <VariableValue><VariableRef targetGUID="6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"/>
        <TextValue>B</TextValue></VariableValue>
      <SourceRef targetGUID="4d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="4d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a" name="covers.txt"
      creatingUser="9d2e5c1a-0b3f-4e6a-8c7d-1f2a3b4c5d6e" creationDateTime="2024-01-10T09:05:00Z">
      <Description>Phone interview</Description>
      <PlainTextContent>{TEXT_B}</PlainTextContent>
      <PlainTextSelection guid="3e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b" startPosition="{s1}"
        endPosition="{e1}" creatingUser="9d2e5c1a-0b3f-4e6a-8c7d-1f2a3b4c5d6e">
        <Coding guid="2f1a2b3c-4d5e-4f6a-8b7c-9d0e1f2a3b4c"
          creatingUser="9d2e5c1a-0b3f-4e6a-8c7d-1f2a3b4c5d6e">
          <CodeRef targetGUID="8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c40"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="3e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4c" startPosition="{s1}"
        endPosition="{len(TEXT_B) + 40}">
        <Coding guid="2f1a2b3c-4d5e-4f6a-8b7c-9d0e1f2a3b4d">
          <CodeRef targetGUID="8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c40"/>
        </Coding>
      </PlainTextSelection>
      <Coding guid="2f1a2b3c-4d5e-4f6a-8b7c-9d0e1f2a3b4e">
        <CodeRef targetGUID="8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c41"/>
      </Coding>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" name="Journal 1"
      creatingUser="9d2e5c1a-0b3f-4e6a-8c7d-1f2a3b4c5d6e" creationDateTime="2024-01-11T09:00:00Z">
      <PlainTextContent>Started coding.</PlainTextContent>
    </Note>
  </Notes>
</Project>
"""
    return zipped({"project.qde": qde})


def transana() -> bytes:
    qde = """<?xml version="1.0" encoding="UTF-8"?>
<Project name="project.qde" xmlns="urn:QDA-XML:project:0:10" origin="Transana 3.22b2-QDE-Win"
  basePath="E:/Data/Transana/QDA-XML/">
  <CodeBook>
    <Codes>
      <Code guid="7cac5c5d-64f6-4d20-9c63-dd79913a0de6" name="Keyword Group 1" isCodable="false">
        <Code guid="fac76248-ca56-4274-9677-8b14b94321a4" name="Keyword 1" color="#0080ff"
          isCodable="true"><Description>Definition</Description></Code>
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="acd630d1-1dde-4661-ac92-79d8bf18ff86" name="Document 1"
      plainTextPath="internal://acd630d1-1dde-4661-ac92-79d8bf18ff86.txt">
      <PlainTextSelection guid="a16d789e-00ce-4b18-b4e5-c1540c7fec5f" startPosition="2"
        endPosition="16">
        <Coding guid="3e8f98d8-7cd3-466a-98d0-02ce028fd49a">
          <CodeRef targetGUID="fac76248-ca56-4274-9677-8b14b94321a4"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <VideoSource guid="ed105492-356d-4119-a1e2-716cf018afed" name="Clip"
      path="relative:///clip.mp4">
      <Transcript guid="0ebf03c4-768d-4937-b37e-1c2d3e4f5a6b" name="Clip transcript">
        <PlainTextContent>Speaker 1: hello there.</PlainTextContent>
      </Transcript>
    </VideoSource>
  </Sources>
</Project>
"""
    return zipped({"project.qde": qde, "sources/acd630d1-1dde-4661-ac92-79d8bf18ff86.txt": TEXT_A})


TOOLS = {
    "nvivo": nvivo,
    "atlas": atlas,
    "maxqda": maxqda,
    "qualcoder": qualcoder,
    "transana": transana,
}
