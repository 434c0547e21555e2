# Status files of a Groupmax High-end Object Server (seed 003): the system status information the
# server needs to restart is written to a logical file made of an A-system and a B-system file,
# A first, then B, so that B still holds the previous state if the server dies while writing A.
#
# One status_file block is one status service definition (%XODDIR%\conf\sts). It names up to 7
# logical files, each with its own name, one A file and one B file, on NTFS. At a normal start
# the first logical file listed becomes current, the others that open become spare, those that
# cannot be opened reserved. On an I/O error in the current file the server copies the healthy
# side into the spare A, then the spare B file, and makes it current (a swap); the failed one
# becomes blocked.
#
# A and B files are on different drives (D:, E:), so one disk failure never takes both sides of a
# logical file. The tool creates the files of new logical files with the site's xodstsinit
# command line (init_command) and writes the site's definition (definition_content) byte for
# byte; it never opens, closes, deletes or swaps (docs/statusfile.md: no public command prints a
# logical file's state, and those operations need it). Neither xodstsinit's options nor the
# definition's syntax is in a public source: both are declared here in the LAB's forms
# (docs/lab.md). On a real server, write your own from your manual.

# A Windows server: with shell = "cmd" the tool reads and writes files over SFTP (/D:/HiOBJ/...)
# and starts each program by its full path, one per command (docs/windows.md).
node "objsv" {
  address = var.hosts["objsv"].address
  port    = var.hosts["objsv"].port
  ssh {
    shell     = var.hosts["objsv"].shell
    code_page = var.hosts["objsv"].code_page
  }
}

status_file "sts" {
  node = node.objsv
  # %XODDIR%, the object server's install directory. D:\HiOBJ is an example value (the lab's):
  # no public source gives the product's default. The definition is install_dir\conf\sts.
  install_dir = "D:\\HiOBJ"

  # The lab's xodstsinit form (unconfirmed for the product): run once per missing file, A then
  # B, never on a file that exists. On a Windows node the program is named by its full path with
  # .exe (no PATH lookup, no batch file). {file} is the physical file; {logical} and {side} (A or
  # B) are there too if your command line needs them.
  init_command = ["D:\\HiOBJ\\bin\\xodstsinit.exe", "-f", "{file}"]

  # The whole definition file, in the lab's format (sts.def says so). It must name each
  # logical file's A and B file, in the order of the logical_file blocks below.
  definition_content = file("sts.def")

  # Current after a normal start.
  logical_file "sts1" {
    a_file = "D:\\HiOBJ\\sts\\sts1a"
    b_file = "E:\\HiOBJ\\sts\\sts1b"
  }

  # Spares: two successive failures still leave a file to swap to.
  logical_file "sts2" {
    a_file = "D:\\HiOBJ\\sts\\sts2a"
    b_file = "E:\\HiOBJ\\sts\\sts2b"
  }

  logical_file "sts3" {
    a_file = "D:\\HiOBJ\\sts\\sts3a"
    b_file = "E:\\HiOBJ\\sts\\sts3b"
  }
}
